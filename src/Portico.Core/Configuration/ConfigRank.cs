namespace Portico.Configuration;

/// <summary>
/// Where a concern's lines go in <c>save config</c>: a file is read top to bottom, so objects come before
/// the bindings and policies that name them. A concern picks a free rank inside the band of its role;
/// two registrations of one rank are refused, so the order never depends on registration order.
/// </summary>
public static class ConfigRank
{
    /// <summary>The appliance itself: modes, parameters, addresses.</summary>
    public const int Appliance = 100;

    /// <summary>Objects that the load-balancing objects name (profiles, monitors).</summary>
    public const int Profiles = 200;

    /// <summary>Servers, services, service groups, vservers.</summary>
    public const int Objects = 300;

    /// <summary>Bindings between objects.</summary>
    public const int Bindings = 400;

    /// <summary>Certificates, policies and access lists that name vservers.</summary>
    public const int Policies = 500;

    /// <summary>Process settings that name nothing.</summary>
    public const int Settings = 600;
}

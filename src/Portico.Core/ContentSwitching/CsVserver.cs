using System.Net;
using Portico.CommandLanguage;
using Portico.LoadBalancing;

namespace Portico.ContentSwitching;

/// <summary>
/// A content switching virtual server (<c>add cs vserver</c>): where clients connect; each request goes to the
/// lb vserver its policies choose (bound with <c>bind cs vserver -policyName</c>, in priority order), else to
/// <see cref="DefaultLbVserver"/>.
/// </summary>
public sealed record CsVserver(
    string Name,
    ServiceType Type,
    IPAddress? Address,
    int Port,
    long? ClientTimeout,
    bool Enabled,
    string? Comment,
    IReadOnlyList<KeptOption> Kept)
{
    /// <summary><c>bind cs vserver NAME -lbvserver LB</c>: the target when no policy matches; null answers 503.</summary>
    public string? DefaultLbVserver { get; init; }

    /// <summary><c>-stateupdate ENABLED</c>: the vserver is UP only while a target lb vserver is UP.</summary>
    public bool StateUpdate { get; init; }

    public bool IsAddressable => Address is not null && Port != 0;
}

/// <summary><c>add cs action NAME -targetLBVserver LB [-comment]</c>.</summary>
public sealed record CsAction(string Name, string TargetLbVserver, string? Comment);

/// <summary><c>add cs policy NAME -rule EXPR [-action A] [-comment]</c>.</summary>
public sealed record CsPolicy(string Name, string Rule, string? Action, string? Comment)
{
    /// <summary>Kept NetScaler options (<c>-logAction</c>).</summary>
    public IReadOnlyList<KeptOption> Kept { get; init; } = [];
}

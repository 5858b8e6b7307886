using System.Collections.Immutable;
using System.Net;
using Portico.CommandLanguage;

namespace Portico.LoadBalancing;

/// <summary>A load balancing virtual server (<c>add lb vserver</c>): where clients connect.</summary>
/// <param name="Address">The VIP; null for a non-addressable vserver (<c>0.0.0.0 0</c>), reachable only as a backup or target.</param>
/// <param name="Port">The port; 0 means any (<c>*</c>).</param>
public sealed record LbVserver(
    string Name,
    ServiceType Type,
    IPAddress? Address,
    int Port,
    LbMethod Method,
    LbMethod? BackupMethod,
    PersistenceType Persistence,
    long PersistenceTimeoutMinutes,
    long? ClientTimeout,
    string? BackupVserver,
    long? SpilloverThreshold,
    bool Enabled,
    string? Comment,
    ImmutableList<VserverBinding> Bindings,
    VserverRedirect? Redirect,
    IReadOnlyList<KeptOption> Kept)
{
    /// <summary>
    /// True when the full proxy can listen for the vserver: it has an address (<c>*</c> = every local
    /// address) and a port. <c>0.0.0.0 0</c> and port <c>*</c> vservers are reached only as backups or
    /// through DSR.
    /// </summary>
    public bool IsAddressable => Address is not null && Port != 0;

    /// <summary><c>-m</c>: IP (the full proxy, default) or MAC (direct server return on the DSR data path).</summary>
    public RedirectionMode Mode { get; init; } = RedirectionMode.Ip;

    /// <summary>
    /// <c>-dsrInterface</c> (a Portico extension): the interface a <c>-m MAC</c> vserver receives frames on and
    /// sends them out of; null for the interface whose IPv4 subnet holds the VIP.
    /// </summary>
    public string? DsrInterface { get; init; }

    /// <summary>
    /// <c>-disablePrimaryOnDown ENABLED</c>: once the vserver goes DOWN and its backup takes over, traffic
    /// stays on the backup even after services recover, until an operator runs <c>enable lb vserver</c>.
    /// </summary>
    public bool DisablePrimaryOnDown { get; init; }

    /// <summary>
    /// The config generation whose batch last ran <c>enable lb vserver</c> on this vserver (0 if none):
    /// it releases a primary held on its backup by <see cref="DisablePrimaryOnDown"/>. Not written by save.
    /// </summary>
    public long EnabledAtGeneration { get; init; }

    /// <summary>
    /// The <c>ns netProfile</c> of the vserver (<c>-netProfile</c>): with <c>-proxyProtocol ENABLED</c> its
    /// clients (an upstream balancer) must open every connection with a PROXY header.
    /// </summary>
    public string? NetProfile { get; init; }

    /// <summary>
    /// The <c>ns httpProfile</c> of the vserver (<c>-httpProfileName</c>); null for <c>nshttp_default_profile</c>.
    /// It acts on HTTP and SSL vservers only.
    /// </summary>
    public string? HttpProfileName { get; init; }

    /// <summary><c>127.0.0.1:8080</c>, <c>[::1]:80</c>, or <c>-</c> when not addressable.</summary>
    public string Endpoint => Address is null ? "-" : $"{(Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{Address}]" : Address.ToString())}:{(Port == 0 ? "*" : Port)}";
}

/// <summary>HTTP to HTTPS redirection of an SSL vserver (<c>-redirectFromPort p -httpsRedirectUrl u</c>).</summary>
public sealed record VserverRedirect(int? FromPort, string? Url);

/// <summary>A service or service group bound to a vserver (<c>bind lb vserver v target [-weight w]</c>).</summary>
public sealed record VserverBinding(string Target, long Weight)
{
    /// <summary>NetScaler options of the binding kept and written back (<c>-devno</c>).</summary>
    public IReadOnlyList<KeptOption> Kept { get; init; } = [];
}

using System.Net;
using Portico.Appliance;
using Portico.Configuration;
using Portico.LoadBalancing;
using Portico.Runtime;

namespace Portico.ClientIp;

/// <summary>Compiles a member's <see cref="BackendClientIp"/> and source addresses from its settings, its net profile and the SNIPs.</summary>
public static class BackendClientIpPlan
{
    public static BackendClientIp Compile(RunningConfig config, BackendSettings settings, BackendClientIp? previous)
    {
        var profile = config.NetProfileOf(settings.NetProfile);
        return new BackendClientIp(profile is { ProxyProtocol: true } ? profile.TxVersion : null,
            settings.Usip ?? config.Modes.Contains("USIP"), settings.UseProxyPort, previous?.SourcePorts ?? new SourcePortStatus());
    }

    /// <summary>
    /// Where server connections leave from: the net profile's <c>-srcIP</c>, else every SNIP whose subnet
    /// holds the server (connections are spread over them), else the kernel's choice (an empty list).
    /// </summary>
    public static IReadOnlyList<IPAddress> Sources(RunningConfig config, BackendSettings settings, IPEndPoint server) =>
        config.NetProfileOf(settings.NetProfile)?.SourceIp is { } pinned
            ? [pinned]
            : [.. config.Ips.Where(i => i.Type == NsIpType.Snip && i.Covers(server.Address)).Select(i => i.Address)];
}

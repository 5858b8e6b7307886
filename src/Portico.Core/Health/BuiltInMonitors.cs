using System.Collections.Frozen;

namespace Portico.Health;

/// <summary>
/// NetScaler's built-in monitors, present in every config and never written by <c>save config</c>.
/// A service without a bound monitor gets <see cref="TcpDefault"/> (TCP-based services) or
/// <see cref="PingDefault"/> (UDP-based services, or members on port <c>*</c>), as NetScaler binds them.
/// </summary>
public static class BuiltInMonitors
{
    public const string TcpDefault = "tcp-default";
    public const string PingDefault = "ping-default";

    public static readonly FrozenDictionary<string, LbMonitor> All = new[]
    {
        LbMonitor.Create(TcpDefault, MonitorType.Tcp, builtIn: true),
        LbMonitor.Create(PingDefault, MonitorType.Ping, builtIn: true),
        LbMonitor.Create("ping", MonitorType.Ping, builtIn: true),
        LbMonitor.Create("tcp", MonitorType.Tcp, builtIn: true),
        LbMonitor.Create("http", MonitorType.Http, builtIn: true),
        LbMonitor.Create("tcp-ecv", MonitorType.TcpEcv, builtIn: true),
        LbMonitor.Create("http-ecv", MonitorType.HttpEcv, builtIn: true),
        LbMonitor.Create("udp-ecv", MonitorType.UdpEcv, builtIn: true),
        LbMonitor.Create("tcps", MonitorType.Tcp, builtIn: true) with { Secure = true },
        LbMonitor.Create("https", MonitorType.Http, builtIn: true) with { Secure = true },
    }.ToFrozenDictionary(m => m.Name, StringComparer.Ordinal);
}

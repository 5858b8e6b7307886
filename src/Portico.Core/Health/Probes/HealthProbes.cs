namespace Portico.Health.Probes;

/// <summary>The probe of each monitor type. Probes hold no state, so one instance serves every member.</summary>
internal static class HealthProbes
{
    private static readonly IHealthProbe Tcp = new TcpProbe();
    private static readonly IHealthProbe Http = new HttpProbe();
    private static readonly IHealthProbe TcpEcv = new TcpEcvProbe();
    private static readonly IHealthProbe HttpEcv = new HttpEcvProbe();
    private static readonly IHealthProbe UdpEcv = new UdpEcvProbe();
    private static readonly IHealthProbe Ping = new PingProbe();

    public static IHealthProbe For(MonitorType type) => type switch
    {
        MonitorType.Tcp => Tcp,
        MonitorType.Http => Http,
        MonitorType.TcpEcv => TcpEcv,
        MonitorType.HttpEcv => HttpEcv,
        MonitorType.UdpEcv => UdpEcv,
        MonitorType.Ping => Ping,
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };
}

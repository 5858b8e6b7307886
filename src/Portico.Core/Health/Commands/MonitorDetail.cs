using System.Text;
using Portico.Configuration;

namespace Portico.Health.Commands;

/// <summary><c>show lb monitor NAME</c>: one monitor's settings and where it is bound.</summary>
/// <param name="DestPort">0 means the member's own port.</param>
/// <param name="HttpRequest">HTTP monitors: the request line sent.</param>
/// <param name="ResponseCodes">HTTP monitors: the codes that count as UP.</param>
/// <param name="Send">ECV monitors: what is sent.</param>
/// <param name="Receive">ECV monitors: what the reply must contain.</param>
internal sealed record MonitorDetail(
    string Name,
    string Type,
    bool BuiltIn,
    bool Enabled,
    string Interval,
    string ResponseTimeout,
    string DownTime,
    int Retries,
    int SuccessRetries,
    int DestPort,
    bool Secure,
    string? HttpRequest,
    string? ResponseCodes,
    string? Send,
    string? Receive,
    string BoundTo) : IQueryResult
{
    public static MonitorDetail Of(LbMonitor m, RunningConfig config)
    {
        var http = m.Type == MonitorType.Http;
        var ecv = m.Type is MonitorType.TcpEcv or MonitorType.HttpEcv or MonitorType.UdpEcv;
        return new MonitorDetail(m.Name, MonitorTypes.Words[m.Type], m.BuiltIn, m.Enabled, m.Interval.ToString(), m.ResponseTimeout.ToString(),
            m.DownTime.ToString(), m.Retries, m.SuccessRetries, m.DestPort, m.Secure,
            http ? m.EffectiveHttpRequest : null, http ? m.RespCodesText : null, ecv ? m.Send ?? "" : null, ecv ? m.Recv ?? "" : null,
            TargetsOf(config, m.Name));
    }

    public string ToText()
    {
        var sb = new StringBuilder();
        sb.Append($"{Name} ({Type}){(BuiltIn ? " - built-in" : "")}\tState: {(Enabled ? "ENABLED" : "DISABLED")}\n");
        sb.Append($"\tInterval: {Interval}\tResponse timeout: {ResponseTimeout}\tDown time: {DownTime}\n");
        sb.Append($"\tRetries: {Retries} (failures before DOWN)\tSuccess retries: {SuccessRetries} (successes before UP)\n");
        sb.Append($"\tDestination port: {(DestPort == 0 ? "the member's" : DestPort)}{(Secure ? "\tSecure: YES (TLS)" : "")}\n");
        if (HttpRequest is not null)
        {
            sb.Append($"\tHTTP request: \"{HttpRequest}\"\tResponse codes: {ResponseCodes}\n");
        }

        if (Send is not null)
        {
            sb.Append($"\tSend: \"{Send}\"\tReceive: \"{Receive}\"\n");
        }

        sb.Append($"\tBound to: {BoundTo}\n");
        return sb.ToString();
    }

    /// <summary>The services and groups a monitor is bound to, as the CLI lists them.</summary>
    public static string TargetsOf(RunningConfig config, string monitor)
    {
        var targets = config.MonitorBindings.Where(b => b.Monitor == monitor).Select(b => b.Target).ToList();
        if (monitor is BuiltInMonitors.TcpDefault or BuiltInMonitors.PingDefault)
        {
            return "services without a bound monitor";
        }

        return targets.Count == 0 ? "-" : string.Join(", ", targets);
    }
}

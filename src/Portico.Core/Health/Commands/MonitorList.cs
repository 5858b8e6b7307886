using Portico.Configuration;

namespace Portico.Health.Commands;

/// <summary><c>show lb monitor</c>: the configured monitors, then the built-in ones.</summary>
internal sealed record MonitorList(IReadOnlyList<MonitorSummary> Monitors) : IQueryResult
{
    public string ToText()
    {
        var table = new TextTable("Name", "Type", "Interval", "Resptimeout", "Retries", "SuccessRetries", "DownTime", "State", "Bound to");
        foreach (var m in Monitors)
        {
            table.Row(m.Name + (m.BuiltIn ? " (built-in)" : ""), m.Type, m.Interval, m.ResponseTimeout, m.Retries, m.SuccessRetries,
                m.DownTime, m.Enabled ? "ENABLED" : "DISABLED", m.BoundTo);
        }

        return $"{table.Count} lb monitor(s)\n{table}";
    }
}

/// <summary>One monitor of <c>show lb monitor</c>; times as NetScaler writes them (<c>5</c>, <c>200 MSEC</c>).</summary>
/// <param name="BoundTo">The services and groups it is bound to, as the CLI lists them.</param>
internal sealed record MonitorSummary(string Name, string Type, bool BuiltIn, string Interval, string ResponseTimeout, int Retries, int SuccessRetries,
    string DownTime, bool Enabled, string BoundTo)
{
    public static MonitorSummary Of(LbMonitor m, RunningConfig config) =>
        new(m.Name, MonitorTypes.Words[m.Type], m.BuiltIn, m.Interval.ToString(), m.ResponseTimeout.ToString(), m.Retries, m.SuccessRetries,
            m.DownTime.ToString(), m.Enabled, MonitorDetail.TargetsOf(config, m.Name));
}

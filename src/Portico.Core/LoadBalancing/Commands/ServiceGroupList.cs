using System.Text;
using Portico.Configuration;

namespace Portico.LoadBalancing.Commands;

/// <summary><c>show serviceGroup</c>: each group with its monitors and members.</summary>
internal sealed record ServiceGroupList(IReadOnlyList<ServiceGroupView> Groups) : IQueryResult
{
    public string ToText()
    {
        var sb = new StringBuilder();
        foreach (var g in Groups)
        {
            sb.Append($"{g.Name} - {g.Type}\tState: {(g.Enabled ? "ENABLED" : "DISABLED")}\tMembers: {g.Members.Count}\n");
            sb.Append($"\tMonitors: {(!g.HealthMonitor ? "off (-healthMonitor NO)" : g.Monitors.Count == 0 ? "none bound (tcp-default)" : string.Join(", ", g.Monitors))}\n");
            var table = new TextTable("  Member", "Address", "Weight", "State", "Last change", "Probes/failed", "Reason");
            foreach (var m in g.Members)
            {
                table.Row("  " + m.Server, m.Endpoint, m.Weight, m.State, m.LastChange.ToString("yyyy-MM-dd HH:mm:ss.fff"), $"{m.Probes}/{m.ProbesFailed}", m.Reason ?? "-");
            }

            sb.Append(table);
            sb.Append(g.Partial?.Line("\t"));
        }

        return $"{Groups.Count} service group(s)\n{sb}";
    }
}

/// <summary>One group of <c>show serviceGroup</c>.</summary>
/// <param name="HealthMonitor">False with <c>-healthMonitor NO</c>: members are not probed.</param>
/// <param name="Monitors">The monitors bound to the group; none means <c>tcp-default</c>.</param>
internal sealed record ServiceGroupView(string Name, string Type, bool Enabled, bool HealthMonitor, IReadOnlyList<string> Monitors,
    IReadOnlyList<ServiceGroupMemberView> Members, PartialNote? Partial);

/// <summary>One member of a group.</summary>
/// <param name="Reason">Why it takes no traffic, or null.</param>
internal sealed record ServiceGroupMemberView(string Server, string Endpoint, long Weight, string State, DateTimeOffset LastChange, long Probes, long ProbesFailed, string? Reason);

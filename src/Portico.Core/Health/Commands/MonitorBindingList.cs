using Portico.Configuration;

namespace Portico.Health.Commands;

/// <summary><c>show lb monbindings NAME</c>: every member a monitor probes, with that monitor's verdict.</summary>
internal sealed record MonitorBindingList(string Monitor, IReadOnlyList<MonitorBindingRow> Members) : IQueryResult
{
    public string ToText()
    {
        var table = new TextTable("Member", "Address", "State", "Monitor state", "Probes", "Failed", "Last result");
        foreach (var m in Members)
        {
            table.Row(m.Member, m.Endpoint, m.State, m.MonitorState, m.Probes, m.Failed, m.LastResult ?? "-");
        }

        return $"{table.Count} member(s) probed by {Monitor}\n{table}";
    }
}

/// <summary>One member probed by the monitor.</summary>
/// <param name="State">The member's state (all its monitors and passive health).</param>
/// <param name="MonitorState"><c>UP</c> or <c>DOWN</c> by this monitor alone.</param>
internal sealed record MonitorBindingRow(string Member, string Endpoint, string State, string MonitorState, long Probes, long Failed, string? LastResult);

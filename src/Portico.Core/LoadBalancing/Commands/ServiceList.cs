using Portico.Configuration;

namespace Portico.LoadBalancing.Commands;

/// <summary><c>show service</c>: every service with its health, then the notes of those that are partial.</summary>
internal sealed record ServiceList(IReadOnlyList<ServiceSummary> Services, IReadOnlyList<PartialNote> Partial) : IQueryResult
{
    public string ToText()
    {
        var table = new TextTable("Name", "Server", "Address", "Type", "State", "MaxClient", "Last change", "Monitors", "Probes/failed", "Reason");
        foreach (var s in Services)
        {
            table.Row(s.Name, s.Server, s.Endpoint, s.Type, s.State, s.MaxClient == 0 ? "-" : s.MaxClient, s.LastChange.ToString("yyyy-MM-dd HH:mm:ss.fff"),
                s.Monitors, $"{s.Probes}/{s.ProbesFailed}", s.Reason ?? "-");
        }

        return $"{table.Count} service(s)\n{table}" + PartialNote.Lines(Partial);
    }
}

/// <summary>One service of <c>show service</c>.</summary>
/// <param name="MaxClient">Most concurrent connections; 0 means no limit.</param>
/// <param name="Monitors">The monitors probing it (<c>tcp-default</c>, <c>m1,m2</c>, <c>off</c>).</param>
/// <param name="Reason">Why it takes no traffic (<c>disabled</c>, or the failed monitor and layer), or null.</param>
internal sealed record ServiceSummary(string Name, string Server, string Endpoint, string Type, string State, long MaxClient, DateTimeOffset LastChange,
    string Monitors, long Probes, long ProbesFailed, string? Reason);

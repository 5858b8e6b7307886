using Portico.Configuration;

namespace Portico.LoadBalancing.Commands;

/// <summary><c>show lb vserver</c>: every vserver, one row each, then the notes of those that are partial.</summary>
internal sealed record VserverList(IReadOnlyList<VserverSummary> Vservers, IReadOnlyList<PartialNote> Partial) : IQueryResult
{
    public string ToText()
    {
        var table = new TextTable("Name", "Type", "VIP:Port", "State", "Method", "Services(up/total)", "Listener");
        foreach (var v in Vservers)
        {
            table.Row(v.Name, v.Type, v.Endpoint, v.State, v.Method, $"{v.ServicesUp}/{v.ServicesTotal}", v.Listener);
        }

        return $"{table.Count} lb vserver(s)\n{table}" + PartialNote.Lines(Partial);
    }
}

/// <summary>One vserver of <c>show lb vserver</c>.</summary>
/// <param name="Type">The NetScaler service type word (<c>HTTP</c>, <c>TCP</c>...).</param>
/// <param name="Endpoint">VIP and port as NetScaler prints them (<c>10.0.0.1:80</c>, <c>-</c> when non-addressable).</param>
/// <param name="State"><c>UP</c>, <c>DOWN</c> or <c>OUT OF SERVICE</c>.</param>
/// <param name="Method">The load-balancing method word.</param>
/// <param name="Listener">The listener's status (<c>listening</c>, or why not).</param>
internal sealed record VserverSummary(string Name, string Type, string Endpoint, string State, string Method, int ServicesUp, int ServicesTotal, string Listener);

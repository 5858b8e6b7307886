using Portico.Configuration;
using Portico.Runtime;
using Portico.Upstream;

namespace Portico.LoadBalancing.Commands;

/// <summary><c>stat service</c>: live counters per service.</summary>
/// <param name="SourcePortsExhausted">The members that refused clients for want of a source port; empty when none did.</param>
internal sealed record ServiceStats(IReadOnlyList<ServiceCounterRow> Services, IReadOnlyList<SourcePortUse> SourcePortsExhausted) : IQueryResult
{
    public string ToText() => ServiceCounterRow.Table(Services, "Name") + SourcePortReport.StarvedText(SourcePortsExhausted);
}

/// <summary>One member's counters, read without stopping the data path.</summary>
/// <param name="CurrentConnections">L7: requests in flight.</param>
/// <param name="TotalConnections">L7: server connections opened.</param>
/// <param name="Hits">Connections (L4) or requests (L7) sent to it.</param>
internal sealed record ServiceCounterRow(string Name, string State, long CurrentConnections, long TotalConnections, long Hits,
    long BytesToServer, long BytesFromServer, long ConnectFailures)
{
    public static ServiceCounterRow Of(ServiceRuntime s)
    {
        var k = s.Counters;
        return new ServiceCounterRow(s.Name, s.StateWord, Interlocked.Read(ref k.CurrentConnections), Interlocked.Read(ref k.TotalConnections),
            Interlocked.Read(ref k.Requests), Interlocked.Read(ref k.BytesToServer), Interlocked.Read(ref k.BytesFromServer), Interlocked.Read(ref k.ConnectFailures));
    }

    /// <summary>The counters table; the first column is <c>Name</c> in <c>stat service</c>, <c>Service</c> in <c>stat lb vserver NAME</c>.</summary>
    public static string Table(IEnumerable<ServiceCounterRow> rows, string firstColumn)
    {
        var table = new TextTable(firstColumn, "State", "CurSrvrConn", "TotConn", "Hits", "BytesToSrvr", "BytesFromSrvr", "ConnFail");
        foreach (var r in rows)
        {
            table.Row(r.Name, r.State, r.CurrentConnections, r.TotalConnections, r.Hits, r.BytesToServer, r.BytesFromServer, r.ConnectFailures);
        }

        return table.ToString();
    }
}

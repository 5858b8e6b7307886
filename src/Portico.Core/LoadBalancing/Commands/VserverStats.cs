using Portico.ClientIp.Commands;
using Portico.Configuration;
using Portico.Runtime;
using Portico.Upstream;

namespace Portico.LoadBalancing.Commands;

/// <summary>
/// <c>stat lb vserver [NAME]</c>: live counters per vserver; for one vserver also its members' counters,
/// its HTTP errors (L7) and its client-IP and source-port sections.
/// </summary>
/// <param name="SourcePortsExhausted">All vservers: the members that starved for source ports (empty when none did).</param>
/// <param name="Members">One vserver: its members' counters; null for the list.</param>
/// <param name="Http">One HTTP vserver: its error and abort counters; null otherwise.</param>
/// <param name="ClientIp">One vserver: PROXY protocol, client IP toward servers and source ports per member.</param>
internal sealed record VserverStats(
    IReadOnlyList<VserverCounterRow> Vservers,
    IReadOnlyList<SourcePortUse> SourcePortsExhausted,
    IReadOnlyList<ServiceCounterRow>? Members,
    VserverHttpCounters? Http,
    VserverClientIp? ClientIp) : IQueryResult
{
    public string ToText()
    {
        var table = new TextTable("Name", "State", "CurClntConn", "TotConn", "Requests", "BytesIn", "BytesOut", "Refused", "Denied", "ToBackup", "IdleClosed");
        foreach (var v in Vservers)
        {
            table.Row(v.Name, v.State, v.CurrentClientConnections, v.TotalConnections, v.Requests, v.BytesIn, v.BytesOut, v.Refused, v.Denied, v.ToBackup, v.IdleClosed);
        }

        var text = table + SourcePortReport.StarvedText(SourcePortsExhausted);
        if (Members is not null)
        {
            text += "\n" + ServiceCounterRow.Table(Members, "Service");
        }

        if (Http is { } k)
        {
            text += $"\nHTTP errors: 503 (no service up) {k.Errors503}, 502 (bad gateway) {k.Errors502}, "
                + $"504 (server timeout) {k.Errors504}; responses broken off by the server {k.ServerAborts}; "
                + $"client protocol errors {k.ClientProtocolErrors}; retried on another member {k.Retries}; redirected to HTTPS {k.Redirects}\n"
                + $"Client aborts (the client closed before its answer; not errors): {k.ClientAborts}\n"
                + "(L7: CurSrvrConn counts requests in flight, TotConn server connections opened, Hits requests)\n";
        }

        return text + ClientIp?.ToText();
    }
}

/// <summary>One vserver's counters.</summary>
/// <param name="BytesIn">Bytes from clients.</param>
/// <param name="BytesOut">Bytes to clients.</param>
/// <param name="IdleClosed">Connections closed by the idle timeout.</param>
internal sealed record VserverCounterRow(string Name, string State, long CurrentClientConnections, long TotalConnections, long Requests,
    long BytesIn, long BytesOut, long Refused, long Denied, long ToBackup, long IdleClosed)
{
    public static VserverCounterRow Of(VserverRuntime v)
    {
        var k = v.Counters;
        return new VserverCounterRow(v.Name, v.StateWord, Interlocked.Read(ref k.CurrentClientConnections), Interlocked.Read(ref k.TotalConnections),
            Interlocked.Read(ref k.Requests), Interlocked.Read(ref k.BytesFromClients), Interlocked.Read(ref k.BytesToClients), Interlocked.Read(ref k.Refused),
            Interlocked.Read(ref k.Denied), Interlocked.Read(ref k.ToBackup), Interlocked.Read(ref k.IdleTimeouts));
    }
}

/// <summary>An HTTP vserver's errors and aborts.</summary>
internal sealed record VserverHttpCounters(long Errors503, long Errors502, long Errors504, long ServerAborts, long ClientProtocolErrors, long Retries,
    long Redirects, long ClientAborts)
{
    public static VserverHttpCounters Of(VserverRuntime v)
    {
        var k = v.Counters;
        return new VserverHttpCounters(Interlocked.Read(ref k.Errors503), Interlocked.Read(ref k.Errors502), Interlocked.Read(ref k.Errors504),
            Interlocked.Read(ref k.ServerAborts), Interlocked.Read(ref k.ClientProtocolErrors), Interlocked.Read(ref k.Retries),
            Interlocked.Read(ref k.Redirects), Interlocked.Read(ref k.ClientAborts));
    }
}

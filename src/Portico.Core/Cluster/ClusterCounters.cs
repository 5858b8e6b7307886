using Portico.Runtime;

namespace Portico.Cluster;

/// <summary>
/// One node's traffic totals over its vservers, as it publishes them in its member key for <c>stat cluster</c>:
/// each node counts its own traffic (counters are per node by construction), the sum is read from every member.
/// </summary>
public sealed record ClusterCounters(long CurrentConnections, long Connections, long Requests, long BytesIn, long BytesOut, long Denied)
{
    public static readonly ClusterCounters Zero = new(0, 0, 0, 0, 0, 0);

    /// <summary>The totals of every vserver of <paramref name="model"/> now.</summary>
    public static ClusterCounters Of(RuntimeModel model)
    {
        long current = 0, connections = 0, requests = 0, bytesIn = 0, bytesOut = 0, denied = 0;
        foreach (var v in model.Vservers.Values)
        {
            var c = v.Counters;
            current += Interlocked.Read(ref c.CurrentClientConnections);
            connections += Interlocked.Read(ref c.TotalConnections);
            requests += Interlocked.Read(ref c.Requests);
            bytesIn += Interlocked.Read(ref c.BytesFromClients);
            bytesOut += Interlocked.Read(ref c.BytesToClients);
            denied += Interlocked.Read(ref c.Denied);
        }

        return new ClusterCounters(current, connections, requests, bytesIn, bytesOut, denied);
    }

    public ClusterCounters Plus(ClusterCounters o) =>
        new(CurrentConnections + o.CurrentConnections, Connections + o.Connections, Requests + o.Requests, BytesIn + o.BytesIn, BytesOut + o.BytesOut, Denied + o.Denied);
}

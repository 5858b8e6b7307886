using System.Net.Sockets;
using System.Net;
using Portico.Counters;

namespace Portico.Upstream;

/// <summary>
/// Source ports held toward each server, per source address (a SNIP, or the kernel's choice) and
/// destination: the kernel gives each (source, destination) pair at most the ephemeral range, so a pair
/// near <c>portico.sourceports.capacity</c> is about to refuse connects (the 65K limit of USIP in the
/// source document). Counted from the data paths' open server connections when read: nothing on the data path.
/// </summary>
public sealed class SourcePortCounterSet(IEnumerable<IServerConnections> connections) : ICounterSet
{
    public IEnumerable<CounterDefinition> Declare()
    {
        yield return new CounterDefinition("portico.sourceports.in_use", "{port}", CounterKind.Gauge, "path",
            "L4 server connections open per source address and destination (source->destination)",
            () => InUse().Select(p => new CounterReading(p.Key, p.Value)));
        yield return new CounterDefinition("portico.sourceports.capacity", "{port}", CounterKind.Gauge, null,
            "Source ports the kernel may use toward one destination from one address (net.ipv4.ip_local_port_range)",
            () => [new CounterReading("", Capacity())]);
    }

    public static long Capacity() => LocalPortRange.Read().Size;

    /// <summary>Open server connections by <c>source-&gt;destination</c>.</summary>
    public Dictionary<string, long> InUse()
    {
        var counts = new Dictionary<(IPAddress, IPEndPoint), long>();
        foreach (var socket in connections.SelectMany(c => c.ServerSockets))
        {
            try
            {
                if (socket.LocalEndPoint is IPEndPoint local && socket.RemoteEndPoint is IPEndPoint remote)
                {
                    var key = (local.Address, remote);
                    counts[key] = counts.GetValueOrDefault(key) + 1;
                }
            }
            catch (Exception e) when (e is ObjectDisposedException or SocketException)
            {
                // Closed between listing and reading: it holds no port any more.
            }
        }

        return counts.ToDictionary(p => $"{p.Key.Item1}->{p.Key.Item2}", p => p.Value, StringComparer.Ordinal);
    }
}

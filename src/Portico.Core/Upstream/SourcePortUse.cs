using System.Globalization;
using Portico.Runtime;

namespace Portico.Upstream;

/// <summary>How much of its source-port space a member uses, and whether it ran out.</summary>
/// <param name="Open">Connections open to it now.</param>
/// <param name="Refused">Clients refused for want of a source port toward it.</param>
/// <param name="Usip">With USIP the client's address is the source: the capacity is per client address.</param>
/// <param name="UseProxyPort">With USIP: false when the client's own port is kept.</param>
/// <param name="Sources">The SNIPs it connects from; empty when the kernel chooses.</param>
/// <param name="PortsPerSource">The ephemeral port range's size.</param>
/// <param name="StarvedSince">When it last starved (now, when <paramref name="Starved"/>), or null.</param>
/// <param name="Detail">What the last starvation looked like.</param>
/// <param name="Advice">What to add (SNIPs, a wider port range).</param>
internal sealed record SourcePortUse(string Service, string Endpoint, long Open, long Refused, bool Usip, bool UseProxyPort, IReadOnlyList<string> Sources,
    int PortsPerSource, bool Starved, DateTimeOffset? StarvedSince, string? Detail, string? Advice)
{
    public static SourcePortUse Of(ServiceRuntime m, int ports)
    {
        var status = m.ClientIp.SourcePorts;
        return new SourcePortUse(m.Name, m.Endpoint.ToString(), Volatile.Read(ref m.Counters.CurrentConnections), Interlocked.Read(ref m.Counters.SourcePortsExhausted),
            m.ClientIp.Usip, m.ClientIp.UseProxyPort, [.. m.SourceAddresses.Select(a => a.ToString())], ports, status.IsStarved, status.Since,
            status.LastDetail, status.Advice);
    }

    /// <summary>Connections it can hold without USIP: one port range per source address (the kernel's one address when none is set).</summary>
    public long? Capacity => Usip ? null : Math.Max(1, Sources.Count) * (long)PortsPerSource;

    /// <summary>The member's line: <c>s1 (10.0.0.5:80): 3 open, from 10.0.0.1: 28232 (1 x 28232), 0% used; refused 0</c>.</summary>
    public string Line()
    {
        string capacity;
        if (Usip)
        {
            capacity = UseProxyPort ? $"USIP: {PortsPerSource} per client address" : "USIP with the client's own ports";
        }
        else
        {
            var sources = Sources.Count == 0 ? "kernel-chosen source" : string.Join(", ", Sources);
            var n = Math.Max(1, Sources.Count);
            capacity = $"from {sources}: {n * PortsPerSource} ({n} x {PortsPerSource}), {Percent(Open, n * (long)PortsPerSource)} used";
        }

        var text = $"{Service} ({Endpoint}): {Open} open, {capacity}; refused {Refused}";
        if (Starved)
        {
            text += $"; STARVED since {StarvedSince:yyyy-MM-dd HH:mm:ss} UTC ({Detail}): {Advice}";
        }
        else if (StarvedSince is { } last)
        {
            text += $"; last starved {last:yyyy-MM-dd HH:mm:ss} UTC";
        }

        return text;
    }

    private static string Percent(long part, long whole) =>
        whole == 0 ? "-" : (100.0 * part / whole).ToString("0.#", CultureInfo.InvariantCulture) + "%";
}

using Portico.Runtime;

namespace Portico.Upstream;

/// <summary>
/// What <c>stat lb vserver</c> and <c>stat service</c> say about source ports: how many connections each
/// member can hold (source addresses × ports of the ephemeral range), how many it holds, and, when clients
/// were refused for want of a port, which member starved, from which sources, and what to add.
/// </summary>
internal static class SourcePortReport
{
    /// <summary>The section of <c>stat lb vserver &lt;name&gt;</c>: every member of the vserver.</summary>
    public static VserverSourcePorts ForVserver(VserverRuntime vserver)
    {
        var ports = LocalPortRange.Read().Size;
        return new VserverSourcePorts(ports, Interlocked.Read(ref vserver.Counters.SourcePortsExhausted),
            [.. vserver.Members.Select(m => m.Service).Distinct().Select(m => SourcePortUse.Of(m, ports))]);
    }

    /// <summary>The members that refused clients for want of a source port, or are starved now; empty when none did.</summary>
    public static IReadOnlyList<SourcePortUse> Starved(IEnumerable<ServiceRuntime> members)
    {
        var ports = LocalPortRange.Read().Size;
        return [.. members.Where(m => Interlocked.Read(ref m.Counters.SourcePortsExhausted) > 0 || m.ClientIp.SourcePorts.IsStarved)
            .Select(m => SourcePortUse.Of(m, ports))];
    }

    /// <summary>The lines of <see cref="Starved"/> as the CLI prints them after a counters table.</summary>
    public static string StarvedText(IReadOnlyList<SourcePortUse> starved) =>
        starved.Count == 0 ? "" : "Source ports exhausted:\n" + string.Join('\n', starved.Select(m => "  " + m.Line())) + "\n";
}

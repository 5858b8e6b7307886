using Portico.Runtime;

namespace Portico.ContentSwitching;

/// <summary>
/// One cs vserver for one config generation: its compiled table, its switching counters, and the
/// <see cref="VserverRuntime"/> the HTTP engine serves its connections with (connection and request counters,
/// client timeout; it has no members of its own: every request goes on to a target lb vserver).
/// </summary>
public sealed class CsVserverRuntime(CsVserver config, CsTable table, CsCounters counters, VserverRuntime front)
{
    public CsVserver Config { get; } = config;

    public string Name => Config.Name;

    public CsTable Table { get; } = table;

    public CsCounters Counters { get; } = counters;

    /// <summary>The engine's view of the vserver: counters, timeouts, the listener's profile.</summary>
    public VserverRuntime Front { get; } = front;

    /// <summary>The hit counter of each entry of <see cref="Table"/>, by index.</summary>
    public CsCounters.StrongBox[] Hits { get; } = [.. table.Entries.Select(e => counters.HitsOf(e.Policy))];
}

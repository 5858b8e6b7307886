namespace Portico.CounterQuery;

/// <summary>nsconmsg's display modes (<c>-d</c>), as <c>portico counters</c> implements them.</summary>
internal enum DisplayMode
{
    /// <summary>Every sample's value of every matching series, with its change since the previous sample.</summary>
    Current,

    /// <summary>One line per series over the window: first, last, min, max, average and a sparkline.</summary>
    Past,

    /// <summary>Only the series whose value changed in the window (nsconmsg's "without zero").</summary>
    StatsWt0,

    /// <summary>The events (service UP/DOWN with the reason, config applied...).</summary>
    Event,

    /// <summary>Each file's start and end time, samples, events and damage.</summary>
    SeTime,
}

namespace Portico.Counters.History;

/// <summary>
/// A check run at every history sample, before the counters are read: a watch that records an event
/// when a reading crosses a threshold (source ports near exhaustion) rides the sampler's clock
/// instead of running a timer of its own.
/// </summary>
public interface ISampleWatch
{
    void Check();
}

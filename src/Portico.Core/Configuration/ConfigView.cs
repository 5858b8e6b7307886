namespace Portico.Configuration;

/// <summary>
/// A value computed from a snapshot once, on first use, and kept with it (an index by name), so a
/// concern's lookups cost a dictionary read however often the data path asks.
/// </summary>
public sealed class ConfigView<T>(Func<RunningConfig, T> compute) where T : class
{
    internal T Compute(RunningConfig config) => compute(config);
}

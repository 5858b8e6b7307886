namespace Portico.Configuration;

/// <summary>What a query or action command can reach: the config store and the engine's components.</summary>
public sealed class CommandContext(ConfigStore store, IServiceProvider services)
{
    public ConfigStore Store { get; } = store;

    public RunningConfig Config => Store.Current;

    public IServiceProvider Services { get; } = services;

    public T Get<T>() where T : notnull =>
        (T?)Services.GetService(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not available in this process");
}

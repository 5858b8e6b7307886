using Microsoft.Extensions.Logging;
using Portico.CommandLanguage;
using Portico.Configuration;
using Portico.Listeners;
using Portico.Runtime;

namespace Portico.Engine;

/// <summary>
/// Ties the config store to the data paths: the runtime stage of the store's change channel. Every
/// applied snapshot is compiled into a runtime model, which is published to the listeners and then to
/// whoever follows <see cref="IRuntimeSource.Changed"/>.
/// </summary>
public sealed partial class PorticoEngine : IConfigObserver, IRuntimeSource, IDisposable
{
    private readonly ListenerManager _listeners;
    private readonly IServiceProvider _services;
    private readonly ILogger<PorticoEngine> _logger;
    private volatile RuntimeModel _runtime = RuntimeModel.Empty;

    public PorticoEngine(ConfigStore store, ListenerManager listeners, IServiceProvider services, ILogger<PorticoEngine> logger)
    {
        Store = store;
        _listeners = listeners;
        _services = services;
        _logger = logger;
        store.Observe(this);
    }

    /// <summary>Raised after a new runtime model is in place and listeners are reconciled.</summary>
    public event Action<RuntimeModel>? Changed;

    public ConfigStage Stage => ConfigStage.Runtime;

    public ConfigStore Store { get; }

    public RuntimeModel Runtime => _runtime;

    RuntimeModel IRuntimeSource.Current => _runtime;

    public ListenerManager Listeners => _listeners;

    /// <summary>Applies a batch of commands (a file, CLI input) all or nothing.</summary>
    public Task<BatchResult> ApplyAsync(string text, string source, CancellationToken cancellationToken = default) =>
        Store.ApplyAsync(text, source, _services, cancellationToken);

    /// <summary>Replaces the whole config (a reload); nothing changes unless every line is valid.</summary>
    public Task<BatchResult> ReplaceAsync(string text, string source, CancellationToken cancellationToken = default) =>
        Store.ReplaceAsync(text, source, _services, cancellationToken);

    /// <summary>Compiles a candidate snapshot; an exception rejects the batch before anything changes.</summary>
    public IPreparedChange Prepare(RunningConfig previous, RunningConfig next) => new PreparedModel(this, RuntimeCompiler.Compile(next, _runtime));

    /// <summary>Publishes a prepared model; returns warnings for the operator (a port in use...).</summary>
    private IReadOnlyList<string> Commit(RuntimeModel model)
    {
        var previous = _runtime;
        foreach (var v in model.Vservers.Values)
        {
            v.Activate();
        }

        _runtime = model;
        IReadOnlyList<string> warnings;
        try
        {
            warnings = _listeners.Reconcile(model);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The config is in force; a listener that could not be brought in line is the operator's to see,
            // like a port in use, and must not keep the rest of the commit (retiring, followers) from running.
            Log.ReconcileFailed(_logger, e);
            warnings = [$"listeners could not all be reconciled: {e.Message}"];
        }
        finally
        {
            foreach (var v in previous.Vservers.Values)
            {
                v.Retire();
            }
        }

        Changed?.Invoke(model);
        Log.Applied(_logger, model.Config.Generation, model.Vservers.Count, model.Services.Count);
        return warnings;
    }

    public void Dispose() => _listeners.Dispose();

    private sealed class PreparedModel(PorticoEngine engine, RuntimeModel model) : IPreparedChange
    {
        public IReadOnlyList<string> Commit() => engine.Commit(model);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Config generation {Generation} applied: {Vservers} vserver(s), {Services} service(s)")]
        public static partial void Applied(ILogger logger, long generation, int vservers, int services);

        [LoggerMessage(EventId = 4, Level = LogLevel.Error, Message = "Listeners could not all be reconciled with the applied config")]
        public static partial void ReconcileFailed(ILogger logger, Exception exception);
    }
}

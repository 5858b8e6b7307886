using Microsoft.Extensions.Logging;
using Portico.CommandLanguage;
using Portico.Configuration;
using Portico.Listeners;
using Portico.Runtime;

namespace Portico.Hosting;

/// <summary>
/// Ties the config store to the data paths: every applied snapshot is compiled into a runtime model,
/// which is published to the listeners and to whoever else follows <see cref="RuntimeChanged"/>.
/// </summary>
public sealed partial class PorticoEngine : IDisposable
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
        store.Observer = this;
    }

    /// <summary>Raised after a new runtime model is in place and listeners are reconciled.</summary>
    public event Action<RuntimeModel>? RuntimeChanged;

    public ConfigStore Store { get; }

    public RuntimeModel Runtime => _runtime;

    public ListenerManager Listeners => _listeners;

    /// <summary>Applies a batch of commands (a file, CLI input) all or nothing.</summary>
    public Task<BatchResult> ApplyAsync(string text, string source, CancellationToken cancellationToken = default) =>
        Store.ApplyAsync(text, source, _services, cancellationToken);

    /// <summary>Replaces the whole config (a reload); nothing changes unless every line is valid.</summary>
    public Task<BatchResult> ReplaceAsync(string text, string source, CancellationToken cancellationToken = default) =>
        Store.ReplaceAsync(text, source, _services, cancellationToken);

    /// <summary>Compiles a candidate snapshot; an exception rejects the batch before anything changes.</summary>
    internal RuntimeModel Prepare(RunningConfig candidate) => RuntimeCompiler.Compile(candidate, _runtime);

    /// <summary>Publishes a prepared model; returns warnings for the operator (a port in use...).</summary>
    internal IReadOnlyList<string> Commit(RuntimeModel model)
    {
        var previous = _runtime;
        _runtime = model;
        var warnings = _listeners.Reconcile(model);
        foreach (var v in previous.Vservers.Values)
        {
            v.Retire();
        }

        RuntimeChanged?.Invoke(model);
        Log.Applied(_logger, model.Config.Generation, model.Vservers.Count, model.Services.Count);
        return warnings;
    }

    public void Dispose() => _listeners.Dispose();

    private static partial class Log
    {
        [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Config generation {Generation} applied: {Vservers} vserver(s), {Services} service(s)")]
        public static partial void Applied(ILogger logger, long generation, int vservers, int services);
    }
}

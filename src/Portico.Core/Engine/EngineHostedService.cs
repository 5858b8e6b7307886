using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Portico.Forwarding.Tcp;

namespace Portico.Engine;

/// <summary>
/// Starts the engine on its start-up config and, on stop (Ctrl-C, SIGTERM), drains: listeners close
/// at once so no new client gets in, established connections get <see cref="PorticoStartup.DrainTimeout"/>
/// to finish, and only the ones still open after that are cut.
/// </summary>
public sealed partial class EngineHostedService(PorticoEngine engine, PorticoStartup startup, ConnectionTable connections, Configuration.SaveTracker saved,
    ILogger<EngineHostedService> logger)
    : IHostedService
{
    /// <summary>The report of the start-up config (kept lines, notes, warnings), for the banner.</summary>
    public Configuration.BatchResult? StartupResult { get; private set; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        engine.Store.ConfigPath = startup.ConfigPath;
        var result = await engine.ApplyAsync(startup.ConfigText, startup.Source, cancellationToken).ConfigureAwait(false);
        if (!result.Applied)
        {
            throw new StartupConfigException($"{startup.Source} has errors; Portico did not start.\n{result.Describe()}");
        }

        StartupResult = result;
        if (startup.ConfigPath is not null)
        {
            // Read from the file: the running config is the saved one until a batch changes it.
            saved.MarkSaved(engine.Store.Current);
        }

        // The start-up batch parsed every line of the file (110,000 for a config with 100,000 ACLs): compact once,
        // so that garbage does not stay as a large fragmented heap for the life of the process.
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        engine.Listeners.Dispose();
        var open = connections.Count;
        if (open > 0)
        {
            Log.Draining(logger, open, startup.DrainTimeout.TotalSeconds);
            var deadline = DateTime.UtcNow + startup.DrainTimeout;
            while (connections.Count > 0 && DateTime.UtcNow < deadline && !cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(50, CancellationToken.None).ConfigureAwait(false);
            }

            foreach (var relay in connections.All)
            {
                relay.Abort("shutdown");
            }
        }

        Log.Stopped(logger, connections.Count);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Draining {Open} connection(s) for up to {Seconds} s")]
        public static partial void Draining(ILogger logger, int open, double seconds);

        [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "Stopped; {Cut} connection(s) cut at the drain deadline")]
        public static partial void Stopped(ILogger logger, int cut);
    }
}

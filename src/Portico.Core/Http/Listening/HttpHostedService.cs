using Microsoft.Extensions.Hosting;

namespace Portico.Http.Listening;

/// <summary>
/// Ends the L7 data path with the process: waits for the listeners' requests in flight (their
/// listeners stopped accepting when the engine stopped), bounded by the drain timeout.
/// </summary>
internal sealed class HttpHostedService(HttpListeners listeners) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.CompletedTask;

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        await listeners.StopAsync(cancellationToken).ConfigureAwait(false);
    }
}

using Microsoft.Extensions.Hosting;
using Portico.Persistence;

namespace Portico.Http.Listening;

/// <summary>
/// Ends the L7 data path with the process: waits for the listeners' requests in flight (their
/// listeners stopped accepting when the engine stopped), bounded by the drain timeout. While running,
/// it sweeps expired SOURCEIP persistence entries.
/// </summary>
internal sealed class HttpHostedService(HttpListeners listeners, SourceIpPersistenceTable sourceIps, TimeProvider time) : BackgroundService
{
    public static readonly TimeSpan SweepPeriod = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(SweepPeriod, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                sourceIps.Sweep();
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        await listeners.StopAsync(cancellationToken).ConfigureAwait(false);
    }
}

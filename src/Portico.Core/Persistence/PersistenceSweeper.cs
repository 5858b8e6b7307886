using Microsoft.Extensions.Hosting;

namespace Portico.Persistence;

/// <summary>
/// Drops expired SOURCEIP entries every <see cref="SweepPeriod"/>, so clients that never come back do not keep
/// memory. A lookup already ignores an expired entry; the sweep only bounds the table.
/// </summary>
internal sealed class PersistenceSweeper(SourceIpPersistenceTable sourceIps, TimeProvider time) : BackgroundService
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
}

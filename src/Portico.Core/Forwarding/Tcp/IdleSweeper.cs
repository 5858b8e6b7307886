using Microsoft.Extensions.Hosting;
using Portico.Relaying;

namespace Portico.Forwarding.Tcp;

/// <summary>
/// Closes relays idle past their timeout. One pass a second over the table costs far less than a
/// timer per connection, and the data path only stores a timestamp per read.
/// </summary>
public sealed class IdleSweeper(ConnectionTable table, TimeProvider time) : BackgroundService
{
    public static readonly TimeSpan Period = TimeSpan.FromSeconds(1);

    /// <summary>Relays closed for idleness since start.</summary>
    public long Closed => Interlocked.Read(ref _closed);

    private long _closed;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Period, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                Sweep();
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping, or a host that failed to start being disposed (its time provider's timers cancel).
        }
    }

    internal void Sweep()
    {
        var now = Environment.TickCount64;
        foreach (var relay in table.All)
        {
            if (relay.IdleTimeoutMs > 0 && now - Volatile.Read(ref relay.LastActivity) > relay.IdleTimeoutMs)
            {
                relay.AbortIdle();
                Interlocked.Increment(ref _closed);
            }
        }
    }
}

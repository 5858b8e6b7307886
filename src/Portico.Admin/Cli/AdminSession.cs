using Portico.Admin.AdminSocket;

namespace Portico.Admin.Cli;

/// <summary>
/// The interactive CLI's connection to Portico, which outlives a Portico restart: when the connection breaks it
/// reconnects to the same socket (waiting for the new process up to <see cref="ReconnectTimeout"/>) and sends the
/// command again if it never reached the old one; if it may have run there, it says so rather than run it twice.
/// </summary>
public sealed class AdminSession(string socketPath, TextWriter notices, TimeProvider time) : IDisposable
{
    private AdminClient? _client;

    /// <summary>How long a broken connection waits for Portico to come back before giving up.</summary>
    public TimeSpan ReconnectTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Between connection attempts while Portico is away.</summary>
    public TimeSpan RetryInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Connects now; throws <see cref="AdminUnavailableException"/> when Portico is not there.</summary>
    public void Connect() => _client ??= AdminClient.Connect(socketPath);

    /// <summary>Runs a batch; null when the connection broke after sending (the outcome is unknown, the notice says so).</summary>
    public async Task<AdminResponse?> ApplyAsync(string commands, CancellationToken cancellationToken)
    {
        Connect();
        try
        {
            return await _client!.ApplyAsync(commands, cancellationToken).ConfigureAwait(false);
        }
        catch (AdminConnectionLostException lost)
        {
            await notices.WriteLineAsync("Portico closed the admin connection (stopped or restarted); reconnecting...").ConfigureAwait(false);
            await ReconnectAsync(cancellationToken).ConfigureAwait(false);
            if (lost.Sent)
            {
                await notices.WriteLineAsync("Reconnected. The command reached the previous Portico and may or may not have run: check with show before running it again.")
                    .ConfigureAwait(false);
                return null;
            }

            await notices.WriteLineAsync("Reconnected.").ConfigureAwait(false);
            return await _client!.ApplyAsync(commands, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Drops the connection after an abandoned wait (its answer would come to the next command); the next command reconnects.</summary>
    public void Abandon()
    {
        _client?.Dispose();
        _client = null;
    }

    private async Task ReconnectAsync(CancellationToken cancellationToken)
    {
        _client?.Dispose();
        _client = null;
        var deadline = time.GetUtcNow() + ReconnectTimeout;
        while (true)
        {
            try
            {
                _client = AdminClient.Connect(socketPath);
                return;
            }
            catch (AdminUnavailableException) when (time.GetUtcNow() < deadline)
            {
                await Task.Delay(RetryInterval, time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    public void Dispose() => _client?.Dispose();
}

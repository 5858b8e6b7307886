namespace Portico.Health.Probes;

/// <summary>TCP: the three-way handshake completes (and, with <c>-secure YES</c>, the TLS handshake).</summary>
internal sealed class TcpProbe : IHealthProbe
{
    public async ValueTask<ProbeResult> ProbeAsync(ProbeTarget target, CancellationToken timeout)
    {
        var (connection, result) = await ProbeConnection.OpenAsync(target, timeout).ConfigureAwait(false);
        connection?.Dispose();
        return result;
    }
}

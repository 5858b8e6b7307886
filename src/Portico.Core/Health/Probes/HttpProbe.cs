namespace Portico.Health.Probes;

/// <summary>
/// HTTP: sends <c>-httpRequest</c> (default <c>HEAD /</c>) as an HTTP/1.1 request and checks the status
/// against <c>-respCode</c> (default 200). Only the status line is read; the body is not waited for.
/// </summary>
internal sealed class HttpProbe : IHealthProbe
{
    private const int StatusLineLimit = 8 * 1024;

    public async ValueTask<ProbeResult> ProbeAsync(ProbeTarget target, CancellationToken timeout)
    {
        var m = target.Monitor;
        var (connection, opened) = await ProbeConnection.OpenAsync(target, timeout).ConfigureAwait(false);
        if (connection is null)
        {
            return opened;
        }

        using (connection)
        {
            var request = HttpRequestLine.Build(m.EffectiveHttpRequest, target.Endpoint.ToString(), m.CustomHeaders);
            if (await connection.SendAsync(request, m, timeout).ConfigureAwait(false) is { } failed)
            {
                return failed;
            }

            using var response = new ResponseBuffer(StatusLineLimit);
            while (true)
            {
                var outcome = await response.ReadMoreAsync(connection.Stream, timeout).ConfigureAwait(false);
                var status = HttpResponseText.Status(response.Data);
                if (status > 0)
                {
                    return m.Accepts(status)
                        ? new ProbeResult(ProbeStatus.L7OK, $"HTTP {status}")
                        : new ProbeResult(ProbeStatus.L7STS, $"wrong status {status} (expected {m.RespCodesText})");
                }

                if (status < 0)
                {
                    return new ProbeResult(ProbeStatus.L7RSP, $"not an HTTP response: '{HttpResponseText.Excerpt(response.Data)}'");
                }

                switch (outcome)
                {
                    case ReadOutcome.Timeout:
                        return new ProbeResult(ProbeStatus.L7TOUT, $"response timeout: no status line within {m.ResponseTimeout}");
                    case ReadOutcome.End:
                        return new ProbeResult(ProbeStatus.L7RSP, "connection closed before a response");
                    case ReadOutcome.Failed:
                        return new ProbeResult(ProbeStatus.L7RSP, $"connection failed before a response: {response.Error}");
                    case ReadOutcome.Full:
                        return new ProbeResult(ProbeStatus.L7RSP, "status line too long");
                }
            }
        }
    }
}

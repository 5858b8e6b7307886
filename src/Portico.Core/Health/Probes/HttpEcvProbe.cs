namespace Portico.Health.Probes;

/// <summary>
/// HTTP-ECV: sends the HTTP request <c>-send</c> (default <c>GET /</c>) and looks for <c>-recv</c> in the first
/// 24 KiB of the response body, as NetScaler does; the status is not checked. An empty <c>-recv</c>
/// accepts any response.
/// </summary>
internal sealed class HttpEcvProbe : IHealthProbe
{
    /// <summary>NetScaler looks for the receive string in the first 24K bytes of the body.</summary>
    private const int BodyLimit = 24 * 1024;
    private const int HeaderLimit = 16 * 1024;

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
            var send = string.IsNullOrEmpty(m.Send) ? "GET /" : m.Send;
            var request = HttpRequestLine.Build(send, target.Endpoint.ToString(), m.CustomHeaders);
            if (await connection.SendAsync(request, m, timeout).ConfigureAwait(false) is { } failed)
            {
                return failed;
            }

            var expected = string.IsNullOrEmpty(m.Recv) ? [] : EcvText.Bytes(m.Recv);
            using var response = new ResponseBuffer(HeaderLimit + BodyLimit);
            while (true)
            {
                var outcome = await response.ReadMoreAsync(connection.Stream, timeout).ConfigureAwait(false);
                var data = response.Data;
                if (HttpResponseText.Status(data) < 0)
                {
                    return new ProbeResult(ProbeStatus.L7RSP, $"not an HTTP response: '{HttpResponseText.Excerpt(data)}'");
                }

                var bodyStart = HttpResponseText.BodyStart(data);
                if (bodyStart >= 0)
                {
                    var body = data[bodyStart..];
                    var searched = body[..Math.Min(body.Length, BodyLimit)];
                    if (expected.Length == 0 || searched.IndexOf(expected) >= 0)
                    {
                        return new ProbeResult(ProbeStatus.L7OK, expected.Length == 0 ? "response received" : $"'{m.Recv}' found");
                    }

                    var complete = HttpResponseText.ContentLength(data[..bodyStart]) is { } length && body.Length >= length;
                    if (complete || body.Length >= BodyLimit || outcome is ReadOutcome.End or ReadOutcome.Full)
                    {
                        return Mismatch(m, body.Length);
                    }
                }

                switch (outcome)
                {
                    case ReadOutcome.Timeout when bodyStart >= 0 && data.Length > bodyStart:
                        return Mismatch(m, data.Length - bodyStart);
                    case ReadOutcome.Timeout:
                        return new ProbeResult(ProbeStatus.L7TOUT, $"response timeout: no complete response within {m.ResponseTimeout}");
                    case ReadOutcome.End:
                        return new ProbeResult(ProbeStatus.L7RSP, "connection closed before a complete response");
                    case ReadOutcome.Failed:
                        return new ProbeResult(ProbeStatus.L7RSP, $"connection failed before a complete response: {response.Error}");
                    case ReadOutcome.Full:
                        return new ProbeResult(ProbeStatus.L7RSP, "response headers too long");
                }
            }
        }
    }

    private static ProbeResult Mismatch(LbMonitor m, int bodyBytes) =>
        new(ProbeStatus.L7ECV, $"body mismatch: '{m.Recv}' not in the {bodyBytes} body byte(s) received");
}

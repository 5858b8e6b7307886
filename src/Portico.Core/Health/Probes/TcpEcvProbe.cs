namespace Portico.Health.Probes;

/// <summary>
/// TCP-ECV: sends <c>-send</c> (escapes decoded) and looks for <c>-recv</c> anywhere in what comes back,
/// up to 64 KiB. Without <c>-recv</c>, sending is enough. Bytes received without the expected text by
/// the response timeout are a mismatch (L7ECV); no bytes at all is a response timeout (L7TOUT).
/// </summary>
internal sealed class TcpEcvProbe : IHealthProbe
{
    private const int Limit = 64 * 1024;

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
            if (!string.IsNullOrEmpty(m.Send) && await connection.SendAsync(EcvText.Bytes(m.Send), m, timeout).ConfigureAwait(false) is { } failed)
            {
                return failed;
            }

            if (string.IsNullOrEmpty(m.Recv))
            {
                return new ProbeResult(ProbeStatus.L7OK, string.IsNullOrEmpty(m.Send) ? "connection established" : "sent");
            }

            var expected = EcvText.Bytes(m.Recv);
            using var response = new ResponseBuffer(Limit);
            while (true)
            {
                var outcome = await response.ReadMoreAsync(connection.Stream, timeout).ConfigureAwait(false);
                if (response.Data.IndexOf(expected) >= 0)
                {
                    return new ProbeResult(ProbeStatus.L7OK, $"'{m.Recv}' found");
                }

                switch (outcome)
                {
                    case ReadOutcome.Timeout when response.Count > 0:
                    case ReadOutcome.End when response.Count > 0:
                    case ReadOutcome.Full:
                        return new ProbeResult(ProbeStatus.L7ECV,
                            $"body mismatch: '{m.Recv}' not in the {response.Count} byte(s) received ('{HttpResponseText.Excerpt(response.Data)}')");
                    case ReadOutcome.Timeout:
                        return new ProbeResult(ProbeStatus.L7TOUT, $"response timeout: nothing received within {m.ResponseTimeout}");
                    case ReadOutcome.End:
                        return new ProbeResult(ProbeStatus.L7RSP, "connection closed without a reply");
                    case ReadOutcome.Failed:
                        return new ProbeResult(ProbeStatus.L7RSP, $"connection failed before a reply: {response.Error}");
                }
            }
        }
    }
}

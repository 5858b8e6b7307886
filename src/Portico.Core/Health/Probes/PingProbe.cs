using System.Net.NetworkInformation;

namespace Portico.Health.Probes;

/// <summary>
/// PING: one ICMP echo request, a reply within the response timeout. Needs a raw ICMP socket (root or
/// CAP_NET_RAW); without one the probe reports it rather than letting .NET start the ping program.
/// </summary>
internal sealed class PingProbe : IHealthProbe
{
    private static readonly byte[] Payload = "Portico-monitor"u8.ToArray();

    public async ValueTask<ProbeResult> ProbeAsync(ProbeTarget target, CancellationToken timeout)
    {
        if (!IcmpPermission.Allowed)
        {
            return new ProbeResult(ProbeStatus.ERROR, IcmpPermission.Explanation);
        }

        using var ping = new Ping();
        try
        {
            var reply = await ping.SendPingAsync(target.Endpoint.Address, target.Monitor.ResponseTimeout.Span, Payload, null, timeout).ConfigureAwait(false);
            return reply.Status switch
            {
                IPStatus.Success => new ProbeResult(ProbeStatus.L3OK, $"echo reply in {reply.RoundtripTime} ms"),
                IPStatus.TimedOut => new ProbeResult(ProbeStatus.L3TOUT, $"no echo reply within {target.Monitor.ResponseTimeout}"),
                _ => new ProbeResult(ProbeStatus.L3UNR, $"ICMP {reply.Status}"),
            };
        }
        catch (OperationCanceledException)
        {
            return new ProbeResult(ProbeStatus.L3TOUT, $"no echo reply within {target.Monitor.ResponseTimeout}");
        }
        catch (PingException e)
        {
            return new ProbeResult(ProbeStatus.ERROR, $"ping failed: {ProbeConnection.Innermost(e).Message}");
        }
    }
}

using System.Net;
using System.Net.Sockets;

namespace Portico.Health.Probes;

/// <summary>
/// UDP-ECV: sends <c>-send</c> in one datagram. With <c>-recv</c>, a reply containing it must come back
/// within the response timeout. Without it, as on NetScaler, silence is success and only an ICMP port
/// unreachable (seen as a refused receive on a connected socket) is a failure, so the probe waits the
/// whole response timeout.
/// </summary>
internal sealed class UdpEcvProbe : IHealthProbe
{
    public async ValueTask<ProbeResult> ProbeAsync(ProbeTarget target, CancellationToken timeout)
    {
        var m = target.Monitor;
        using var socket = new Socket(target.Endpoint.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            if (target.Source is { } source)
            {
                socket.Bind(new IPEndPoint(source, 0));
            }

            await socket.ConnectAsync(target.Endpoint, timeout).ConfigureAwait(false);
            await socket.SendAsync(string.IsNullOrEmpty(m.Send) ? [] : EcvText.Bytes(m.Send), SocketFlags.None, timeout).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return new ProbeResult(ProbeStatus.L7TOUT, "could not send the datagram within the response timeout");
        }
        catch (SocketException e)
        {
            return new ProbeResult(e.SocketErrorCode is SocketError.AddressNotAvailable ? ProbeStatus.ERROR : ProbeStatus.L4CON,
                $"cannot send: {e.SocketErrorCode}");
        }

        var expected = string.IsNullOrEmpty(m.Recv) ? [] : EcvText.Bytes(m.Recv);
        var buffer = new byte[2048];
        try
        {
            var n = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout).ConfigureAwait(false);
            return expected.Length == 0 || buffer.AsSpan(0, n).IndexOf(expected) >= 0
                ? new ProbeResult(ProbeStatus.L7OK, expected.Length == 0 ? "reply received" : $"'{m.Recv}' found")
                : new ProbeResult(ProbeStatus.L7ECV, $"body mismatch: '{m.Recv}' not in the {n}-byte reply ('{HttpResponseText.Excerpt(buffer.AsSpan(0, n))}')");
        }
        catch (OperationCanceledException)
        {
            return expected.Length == 0
                ? new ProbeResult(ProbeStatus.L7OK, "no ICMP port unreachable within the response timeout")
                : new ProbeResult(ProbeStatus.L7TOUT, $"response timeout: no reply within {m.ResponseTimeout}");
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionRefused or SocketError.ConnectionReset)
        {
            return new ProbeResult(ProbeStatus.L4CON, "ICMP port unreachable");
        }
        catch (SocketException e)
        {
            return new ProbeResult(ProbeStatus.L4CON, $"receive failed: {e.SocketErrorCode}");
        }
    }
}

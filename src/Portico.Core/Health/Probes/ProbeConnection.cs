using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;

namespace Portico.Health.Probes;

/// <summary>
/// One TCP connection of a probe: connect from the SNIP (as NetScaler probes do), optionally a TLS
/// handshake, I/O, and a close by reset. Each step maps its failures to the layer that failed, so the
/// probes above it only read and judge.
/// </summary>
internal sealed class ProbeConnection : IDisposable
{
    private static readonly LingerOption Reset = new(true, 0);

    private readonly Socket _socket;
    private Stream? _stream;

    private ProbeConnection(Socket socket) => _socket = socket;

    /// <summary>The stream to talk over once open (TLS when the monitor is secure).</summary>
    public Stream Stream => _stream ?? throw new InvalidOperationException("not connected");

    /// <summary>Opens the connection; the result is null when it is ready, else why not.</summary>
    public static async ValueTask<(ProbeConnection? Connection, ProbeResult Result)> OpenAsync(ProbeTarget target, CancellationToken timeout)
    {
        // No TCP_NODELAY: a probe writes its request once, and Nagle never holds back a first segment.
        var socket = new Socket(target.Endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        var connection = new ProbeConnection(socket);
        try
        {
            if (target.Source is { } source)
            {
                try
                {
                    Upstream.SourceBind.AddressOnly(socket, source);
                }
                catch (SocketException e)
                {
                    connection.Dispose();
                    return (null, new ProbeResult(ProbeStatus.ERROR, $"cannot send from SNIP {source}: {e.SocketErrorCode}"));
                }
            }

            try
            {
                await socket.ConnectAsync(target.Endpoint, timeout).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                connection.Dispose();
                return (null, new ProbeResult(ProbeStatus.L4TOUT, $"connect timeout after {target.Monitor.ResponseTimeout}"));
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressNotAvailable)
            {
                // Every source port toward the server is taken (Upstream/): Portico's limit, not the server's.
                connection.Dispose();
                return (null, new ProbeResult(ProbeStatus.ERROR, $"no free source port{(target.Source is { } from ? $" from {from}" : "")} toward {target.Endpoint}: no verdict on the server") { NoVerdict = true });
            }
            catch (SocketException e)
            {
                connection.Dispose();
                return (null, new ProbeResult(ProbeStatus.L4CON, ConnectError(e.SocketErrorCode)));
            }

            if (target.SendProxy is { } version)
            {
                // A member that expects PROXY headers gets one on probes too (HAProxy's check-send-proxy):
                // version 2 LOCAL, or a version 1 line naming the probe's own endpoints (proxy-protocol.txt 2.1).
                var header = ClientIp.ProxyProtocol.ProxyHeaderWriter.ForHealthCheck(version, (IPEndPoint)socket.LocalEndPoint!, (IPEndPoint)socket.RemoteEndPoint!);
                try
                {
                    await socket.SendAsync(header, SocketFlags.None, timeout).ConfigureAwait(false);
                }
                catch (Exception e) when (e is SocketException or OperationCanceledException)
                {
                    connection.Dispose();
                    return (null, new ProbeResult(ProbeStatus.L4CON, $"could not send the PROXY header: {Innermost(e).Message}"));
                }
            }

            var network = new NetworkStream(socket, ownsSocket: false);
            if (!target.Monitor.Secure)
            {
                connection._stream = network;
                return (connection, new ProbeResult(ProbeStatus.L4OK, "connection established"));
            }

            // Like NetScaler's monitors, a secure probe checks that TLS works, not who the server claims to be:
            // backends often carry self-signed or internal certificates, and no client data crosses this connection.
#pragma warning disable CA5359
            var tls = new SslStream(network, leaveInnerStreamOpen: false, (_, _, _, _) => true);
#pragma warning restore CA5359
            connection._stream = tls;
            try
            {
                await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = target.Endpoint.Address.ToString() }, timeout)
                    .ConfigureAwait(false);
                return (connection, new ProbeResult(ProbeStatus.L6OK, $"TLS handshake completed ({tls.SslProtocol})"));
            }
            catch (OperationCanceledException)
            {
                connection.Dispose();
                return (null, new ProbeResult(ProbeStatus.L6TOUT, $"TLS handshake timeout after {target.Monitor.ResponseTimeout}"));
            }
            catch (Exception e) when (e is AuthenticationException or IOException or SocketException)
            {
                connection.Dispose();
                return (null, new ProbeResult(ProbeStatus.L6RSP, $"TLS failure: {Innermost(e).Message}"));
            }
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>Sends all of <paramref name="data"/>; null when sent, else the failure.</summary>
    public async ValueTask<ProbeResult?> SendAsync(ReadOnlyMemory<byte> data, LbMonitor monitor, CancellationToken timeout)
    {
        try
        {
            await Stream.WriteAsync(data, timeout).ConfigureAwait(false);
            await Stream.FlushAsync(timeout).ConfigureAwait(false);
            return null;
        }
        catch (OperationCanceledException)
        {
            return new ProbeResult(ProbeStatus.L7TOUT, $"could not send the request within {monitor.ResponseTimeout}");
        }
        catch (Exception e) when (e is IOException or SocketException)
        {
            return new ProbeResult(ProbeStatus.L7RSP, $"connection failed while sending: {Innermost(e).Message}");
        }
    }

    /// <summary>Closes with a reset (linger 0): the result is in, and a reset leaves no TIME_WAIT on either side.</summary>
    public void Dispose()
    {
        try
        {
            _socket.LingerState = Reset;
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
        }

        _stream?.Dispose();
        _socket.Dispose();
    }

    internal static string ConnectError(SocketError error) => error switch
    {
        SocketError.ConnectionRefused => "connection refused",
        SocketError.HostUnreachable => "host unreachable",
        SocketError.NetworkUnreachable => "network unreachable",
        SocketError.ConnectionReset => "connection reset",
        SocketError.TimedOut => "connect timed out",
        _ => $"connect failed: {error}",
    };

    internal static Exception Innermost(Exception e)
    {
        while (e.InnerException is not null)
        {
            e = e.InnerException;
        }

        return e;
    }
}

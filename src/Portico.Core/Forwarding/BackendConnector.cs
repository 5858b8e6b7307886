using System.Net;
using System.Net.Sockets;
using Portico.Runtime;

namespace Portico.Forwarding;

/// <summary>
/// Opens server-side connections. The source address is a SNIP whose subnet holds the server when one
/// is configured (taken in turn when several fit), else whatever the kernel routes from.
/// </summary>
public sealed class BackendConnector
{
    // IP_BIND_ADDRESS_NO_PORT (linux/in.h): bind the address now, choose the port at connect(), so the
    // port space is per destination rather than shared by every connection from this address.
    private const int SolIp = 0;
    private const int IpBindAddressNoPort = 24;

    private static readonly byte[] One = [1, 0, 0, 0];
    private long _turn;

    /// <summary>How long a connect may take before the member counts as failed.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);

    public async ValueTask<Socket> ConnectAsync(ServiceRuntime member, CancellationToken cancellationToken)
    {
        var endpoint = member.Endpoint;
        var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            BindSource(socket, member.SourceAddresses);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(ConnectTimeout);
            try
            {
                await socket.ConnectAsync(endpoint, timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new SocketException((int)SocketError.TimedOut);
            }

            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private void BindSource(Socket socket, IReadOnlyList<IPAddress> sources)
    {
        if (sources.Count == 0)
        {
            return;
        }

        var source = sources[(int)((ulong)Interlocked.Increment(ref _turn) % (ulong)sources.Count)];
        if (source.AddressFamily == AddressFamily.InterNetwork)
        {
            socket.SetRawSocketOption(SolIp, IpBindAddressNoPort, One);
        }

        socket.Bind(new IPEndPoint(source, 0));
    }
}

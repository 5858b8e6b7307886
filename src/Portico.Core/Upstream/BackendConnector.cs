using System.Net;
using System.Net.Sockets;
using Portico.ClientIp;
using Portico.ClientIp.ProxyProtocol;
using Portico.Runtime;
using Portico.Upstream;

namespace Portico.Upstream;

/// <summary>
/// Opens server-side connections, carrying the client's address the way the member asks
/// (<see cref="BackendClientIp"/>): from the client's address with USIP, else from a SNIP whose subnet
/// holds the server (taken in turn when several fit; the kernel's choice when none does), then a PROXY
/// header first when the member's net profile sends one. A source address gives one port space toward
/// one server ip:port: when a SNIP has none left the next one is tried, and when every one is full the
/// connect fails with <see cref="SourceAddressException"/>, at once, instead of a hang.
/// </summary>
public sealed class BackendConnector(SourcePortReporter sourcePorts)
{
    private long _turn;

    /// <summary>How long a connect may take before the member counts as failed.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Connects to <paramref name="member"/> on behalf of <paramref name="client"/> (null for a pooled L7 connection).</summary>
    /// <exception cref="SourceAddressException">No source address or port could be had: not the member's fault.</exception>
    /// <exception cref="SocketException">The member refused, was unreachable, or timed out (<see cref="SocketError.TimedOut"/>).</exception>
    public async ValueTask<Socket> ConnectAsync(ServiceRuntime member, ProxiedClient? client, CancellationToken cancellationToken)
    {
        var plan = member.ClientIp;
        Socket socket;
        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            timeout.CancelAfter(ConnectTimeout);
            try
            {
                socket = plan.Usip && client is not null && client.Client.AddressFamily == member.Endpoint.AddressFamily
                    ? await ConnectTransparentAsync(member, client.Client, plan.UseProxyPort, timeout.Token).ConfigureAwait(false)
                    : await ConnectFromSourcesAsync(member, timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new SocketException((int)SocketError.TimedOut);
            }
        }

        try
        {
            if (plan.SendProxy is { } version)
            {
                // Sent alone and at once, before any client byte: the server reads it before anything else.
                var header = client is not null
                    ? ProxyHeaderWriter.For(version, client)
                    : ProxyHeaderWriter.ForHealthCheck(version, (IPEndPoint)socket.LocalEndPoint!, (IPEndPoint)socket.RemoteEndPoint!);
                await socket.SendAsync(header, SocketFlags.None, cancellationToken).ConfigureAwait(false);
            }
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        sourcePorts.Connected(member);
        return socket;
    }

    private static async ValueTask<Socket> ConnectTransparentAsync(ServiceRuntime member, IPEndPoint client, bool useProxyPort, CancellationToken cancellationToken)
    {
        var socket = NewSocket(member);
        try
        {
            TransparentSource.Bind(socket, client, useProxyPort, member.Endpoint);
            await socket.ConnectAsync(member.Endpoint, cancellationToken).ConfigureAwait(false);
            return socket;
        }
        catch (SocketException e) when (e is not SourceAddressException && e.SocketErrorCode is SocketError.AddressNotAvailable or SocketError.AddressAlreadyInUse)
        {
            socket.Dispose();
            throw new SourceAddressException(SourceProblem.PortsExhausted, e.SocketErrorCode,
                useProxyPort
                    ? $"with USIP: client {client.Address} already holds a connection to {member.Endpoint} on every port of {LocalPortRange.Read()}"
                    : $"with USIP: client port {client} is already connected to {member.Endpoint}",
                useProxyPort
                    ? "USIP gives each client address one port space per server ip:port; spread the client over more servers or ports, or set -usip NO (SNIPs)"
                    : "-useproxyport NO reuses the client's port; set -useproxyport YES to let Portico pick one");
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private async ValueTask<Socket> ConnectFromSourcesAsync(ServiceRuntime member, CancellationToken cancellationToken)
    {
        var sources = member.SourceAddresses;
        var tries = Math.Max(1, sources.Count);
        var start = (ulong)Interlocked.Increment(ref _turn);
        List<IPAddress>? unusable = null;
        for (var i = 0; i < tries; i++)
        {
            var source = sources.Count == 0 ? null : sources[(int)((start + (ulong)i) % (ulong)sources.Count)];
            var socket = NewSocket(member);
            try
            {
                if (source is not null)
                {
                    try
                    {
                        SourceBind.AddressOnly(socket, source);
                    }
                    catch (SocketException)
                    {
                        // A SNIP not configured on this host: the others may still serve.
                        (unusable ??= []).Add(source);
                        socket.Dispose();
                        continue;
                    }
                }

                await socket.ConnectAsync(member.Endpoint, cancellationToken).ConfigureAwait(false);
                return socket;
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressNotAvailable)
            {
                // connect() found every port of the range in use from this source toward this ip:port.
                socket.Dispose();
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        if (unusable is not null && unusable.Count == sources.Count)
        {
            throw new SourceAddressException(SourceProblem.AddressUnusable, SocketError.AddressNotAvailable,
                $"from SNIP {string.Join(", ", unusable)} to {member.Endpoint}",
                "no such SNIP is an address of this host (show ns ip); add it to an interface or remove it");
        }

        var range = LocalPortRange.Read();
        var from = sources.Count == 0 ? "from the kernel's choice of source address" : $"from {Plural(sources.Count, "SNIP")} {string.Join(", ", sources)}";
        throw new SourceAddressException(SourceProblem.PortsExhausted, SocketError.AddressNotAvailable,
            $"{from} to {member.Endpoint}, every port of {range} in use",
            $"each source address gives {range.Size} connections to one server ip:port; add a SNIP in the server's subnet "
            + $"(add ns ip <address> <netmask> -type SNIP, the address configured on this host), or add servers or ports");
    }

    private static Socket NewSocket(ServiceRuntime member) =>
        new(member.Endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };

    private static string Plural(int n, string word) => n == 1 ? $"1 {word}" : $"{n} {word}s";
}

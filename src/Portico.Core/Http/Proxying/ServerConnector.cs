using System.Collections.Concurrent;
using System.Net.Security;
using System.Net.Sockets;
using Portico.Capture.Tap;
using Portico.ClientIp;
using Portico.Runtime;
using Portico.Upstream;

namespace Portico.Http.Proxying;

/// <summary>Why a server connection could not be had, for the engine's answer and counters.</summary>
internal enum ConnectProblem
{
    None,

    /// <summary>The member refused, was unreachable or too slow: counted on it, told to passive health, retryable.</summary>
    Member,

    /// <summary>No source address or port (Portico's own limit): 502, not the member's fault.</summary>
    Source,
}

/// <summary>
/// Server connections for the engine: from the member's pool when one is idle, else a new one through
/// <see cref="BackendConnector"/> (the member's SNIP, USIP, PROXY header; the same code the L4 path uses), over TLS
/// for SSL services (the server's certificate is not verified, as NetScaler does not by default), and through the
/// decrypted tap when a capture covers the member.
/// </summary>
internal sealed class ServerConnector(BackendConnector connector, SourcePortReporter sourcePorts, ConnectionTaps taps, DeadlineSweeper sweeper)
{
    private readonly ConcurrentDictionary<string, MemberPool> _pools = new(StringComparer.Ordinal);

    /// <summary>The pool of <paramref name="member"/>, shared by every vserver and kept across config changes.</summary>
    public MemberPool PoolOf(ServiceRuntime member) => _pools.GetOrAdd(member.Key, _ => new MemberPool(sweeper));

    /// <summary>Closes the idle connections of members no longer in the config.</summary>
    public void Retain(IReadOnlySet<string> keys)
    {
        foreach (var (key, pool) in _pools)
        {
            if (!keys.Contains(key) && _pools.TryRemove(key, out _))
            {
                pool.Clear();
            }
        }
    }

    /// <summary>A new connection to <paramref name="member"/>; <paramref name="client"/> for members whose connections carry one client.</summary>
    /// <exception cref="ConnectException">Could not connect; <see cref="ConnectException.Problem"/> says whose fault.</exception>
    public async ValueTask<ServerConnection> ConnectAsync(ServiceRuntime member, ProxiedClient? client, string? serverName, string vserver)
    {
        Socket socket;
        try
        {
            socket = await connector.ConnectAsync(member, client, CancellationToken.None).ConfigureAwait(false);
        }
        catch (SourceAddressException e)
        {
            sourcePorts.Refused(vserver, member, e);
            throw new ConnectException(ConnectProblem.Source, e);
        }
        catch (SocketException e)
        {
            Interlocked.Increment(ref member.Counters.ConnectFailures);

            // Passive health, as on L4: a run of failed connects marks the member DOWN between probes.
            member.Health.Passive.ReportFailure(e.SocketErrorCode == SocketError.TimedOut ? "L4TOUT connect timeout" : $"L4CON {e.SocketErrorCode}");
            throw new ConnectException(ConnectProblem.Member, e);
        }

        // A connect alone is no success for passive health: the response is what counts.
        Interlocked.Increment(ref member.Counters.TotalConnections);
        socket.NoDelay = true;
        var tls = member.Type is LoadBalancing.ServiceType.Ssl or LoadBalancing.ServiceType.SslTcp;
        if (!tls && !taps.Active)
        {
            return Register(new ServerConnection(member, Wire.Of(socket), null, sweeper));
        }

        Stream stream = new NetworkStream(socket, ownsSocket: true);
        if (taps.Active)
        {
            stream = TapStreams.Backend(taps, stream, socket, member.Name, member.Endpoint);
        }

        if (tls)
        {
            var ssl = new SslStream(stream, leaveInnerStreamOpen: false);
            try
            {
                using var timeout = new CancellationTokenSource(connector.ConnectTimeout);
                await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
                {
                    TargetHost = serverName ?? "",
#pragma warning disable CA5359 // NetScaler does not verify its services' certificates by default; neither did the YARP path.
                    RemoteCertificateValidationCallback = static (_, _, _, _) => true,
#pragma warning restore CA5359
                    ApplicationProtocols = [SslApplicationProtocol.Http11],
                }, timeout.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or System.Security.Authentication.AuthenticationException)
            {
                await ssl.DisposeAsync().ConfigureAwait(false);
                member.Health.Passive.ReportFailure("L6 TLS handshake failed");
                throw new ConnectException(ConnectProblem.Member, e);
            }

            stream = ssl;
        }

        return Register(new ServerConnection(member, Wire.Of(socket, stream), serverName, sweeper));
    }

    private ServerConnection Register(ServerConnection connection)
    {
        sweeper.Add(connection);
        return connection;
    }
}

/// <summary>A server connection could not be opened.</summary>
internal sealed class ConnectException(ConnectProblem problem, Exception inner) : Exception(inner.Message, inner)
{
    public ConnectProblem Problem { get; } = problem;
}

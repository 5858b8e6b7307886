using System.Net.Sockets;
using System.Net;
using Microsoft.Extensions.Logging;
using Portico.Balancing;
using Portico.ClientIp;
using Portico.ClientIp.ProxyProtocol;
using Portico.Listeners;
using Portico.Relaying;
using Portico.Runtime;
using Portico.Upstream;

namespace Portico.Forwarding.Tcp;

/// <summary>
/// The L4 TCP connection chain, run for every accepted client: admission (ACLs), the PROXY header when
/// the vserver requires one (then admission again, on the real client), choosing a member (persistence,
/// then balancing with backup and spillover), connecting to it with the client-IP mode it asks for, then relaying.
/// A client that no member can take is refused at once and counted, never left hanging.
/// </summary>
public sealed partial class TcpForwarder(
    BackendConnector connector,
    ConnectionTable table,
    RelayOptions options,
    IEnumerable<IAdmissionPolicy> admission,
    ClientIpOptions clientIp,
    SourcePortReporter sourcePorts,
    Capture.Tap.ConnectionTaps taps,
    Persistence.PersistencePolicies persistence,
    ILogger<TcpForwarder> logger)
{
    private const int ConnectAttempts = 2;
    private readonly ClientAdmission _admission = new(admission);

    public async Task HandleAsync(Socket client, VserverRuntime vserver, IPEndPoint local)
    {
        var counters = vserver.Counters;
        IPEndPoint remote;
        try
        {
            remote = (IPEndPoint)client.RemoteEndPoint!;
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            client.Dispose();
            return;
        }

        // Admission runs before the connection counts as the vserver's and before a byte is read: a denied
        // client is reset at once and only counted as denied (ClientAdmission: ACLs, PROXY header, ACLs again).
        var admitted = await _admission.AdmitAsync(remote, local, vserver, (Forwarder: this, Client: client, Vserver: vserver),
            static s => s.Forwarder.ReceiveProxyHeaderAsync(s.Client, s.Vserver)).ConfigureAwait(false);
        if (admitted.Verdict != AdmissionVerdict.Admitted)
        {
            if (admitted.Verdict == AdmissionVerdict.Denied)
            {
                ListeningSocket.Reset(client);
            }

            return;
        }

        remote = admitted.Client;
        var destination = admitted.Destination;
        using var received = admitted.Header;
        Interlocked.Increment(ref counters.TotalConnections);
        Interlocked.Increment(ref counters.CurrentClientConnections);
        try
        {
            client.NoDelay = true;
            var context = new BalancingContext(remote, local);
            ServiceRuntime? failed = null;
            var starved = false;
            for (var attempt = 1; attempt <= ConnectAttempts; attempt++)
            {
                // Persistence first (SOURCEIP), the member the client last reached while it can take it; a retry is balanced.
                if (persistence.Select(vserver, context, failed) is not { } selection)
                {
                    break;
                }

                var member = selection.Member.Service;
                if (starved && member == failed)
                {
                    // The only member left has no source port either: asking the kernel again cannot help.
                    member.Release();
                    break;
                }

                Socket server;
                try
                {
                    var proxied = member.ClientIp.IsPerClient ? new ProxiedClient(remote, destination) : null;
                    server = await connector.ConnectAsync(member, proxied, CancellationToken.None).ConfigureAwait(false);
                }
                catch (SourceAddressException e)
                {
                    // Portico's own limit, not the member's: no passive-health failure; another member has its own ports.
                    member.Release();
                    failed = member;
                    starved = true;
                    sourcePorts.Refused(vserver.Name, member, e);
                    continue;
                }
                catch (SocketException e)
                {
                    member.Release();
                    failed = member;
                    starved = false;
                    Interlocked.Increment(ref member.Counters.ConnectFailures);
                    member.Health.Passive.ReportFailure(e.SocketErrorCode == SocketError.TimedOut ? "L4TOUT connect timeout" : $"L4CON {e.SocketErrorCode}");
                    Log.ConnectFailed(logger, member.Name, member.Endpoint, e.SocketErrorCode);
                    continue;
                }

                persistence.Remember(vserver, remote.Address, member);

                // A connect alone is no success for passive health: a member that accepts and resets at once must
                // not be forgiven by its own connects. How the pair ended is what counts (RelayAsync).
                if (received is { Leftover.IsEmpty: false })
                {
                    // Client bytes that came in behind the PROXY header go first, before the relay starts.
                    try
                    {
                        await server.SendAsync(received.Leftover, SocketFlags.None).ConfigureAwait(false);
                    }
                    catch
                    {
                        member.Release();
                        server.Dispose();
                        throw;
                    }
                }

                // A decrypted tap shows the client bytes that came behind the PROXY header too (copied only while one runs).
                var early = taps.Active && received is { Leftover.IsEmpty: false } ? received.Leftover.ToArray() : null;

                // The header's buffer goes back to the pool now, not when the connection ends.
                received?.Dispose();
                await RelayAsync(client, server, selection, remote, local, vserver.Name, early).ConfigureAwait(false);
                return;
            }

            Interlocked.Increment(ref counters.Refused);
            if (starved)
            {
                Interlocked.Increment(ref counters.SourcePortsExhausted);
            }

            ListeningSocket.Reset(client);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            client.Dispose();
        }
        finally
        {
            Interlocked.Decrement(ref counters.CurrentClientConnections);
        }
    }

    private async Task RelayAsync(Socket client, Socket server, Selection selection, IPEndPoint remote, IPEndPoint local, string vserverName,
        byte[]? early)
    {
        var member = selection.Member.Service;
        try
        {
            Interlocked.Increment(ref member.Counters.TotalConnections);
            Interlocked.Increment(ref member.Counters.Requests);
            Interlocked.Increment(ref selection.ServedBy.Counters.Requests);
            var relay = new TcpRelay(table.NextId(), client, server, selection.ServedBy.Counters, member.Counters,
                options.BufferSize, IdleTimeoutMs(selection), options.Mode, options.SpliceAfterBytes)
            {
                Client = remote,
                Local = local,
                Tap = taps.Active ? taps.OpenRelay(vserverName, member.Name, remote, local, server.LocalEndPoint as IPEndPoint, member.Endpoint) : null,
            };
            if (early is not null)
            {
                relay.Tap?.Data(toServer: true, early);
            }

            table.Add(relay);
            try
            {
                await relay.RunAsync().ConfigureAwait(false);
            }
            finally
            {
                table.Remove(relay);
            }

            if (relay.ServerFailed && relay.BytesFromServer == 0 && relay.BytesToServer <= relay.BufferSize)
            {
                // Reset by the server before it sent a byte, having taken at most the client's first read: what a
                // client sees of a member that accepts and drops. A server that took more and then reset without
                // answering is a one-way protocol ending (an upload, a log stream, iperf3's data streams), not a
                // failing member.
                member.Health.Passive.ReportFailure("L4CON reset by the server before any data");
            }
            else if (!relay.ServerFailed)
            {
                member.Health.Passive.ReportSuccess();
            }
        }
        finally
        {
            member.Release();
        }
    }

    /// <summary>Reads the PROXY header the vserver requires; null when the client was refused (and counted).</summary>
    private async ValueTask<ClientHeader<ProxyReceived>?> ReceiveProxyHeaderAsync(Socket client, VserverRuntime vserver)
    {
        ProxyReceived received;
        try
        {
            received = await ProxyHeaderReceiver.ReceiveAsync(client, clientIp, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            client.Dispose();
            return null;
        }

        if (received.Reject is not { } reject)
        {
            var header = received.Header!;
            return header.HasAddresses ? new(received, header.Source, header.Destination) : new(received, null, null);
        }

        reject.CountOn(vserver.Counters);
        Log.ProxyHeaderRejected(logger, vserver.Name, SafeRemote(client), received.Error!);
        received.Dispose();
        ListeningSocket.Reset(client);
        return null;
    }

    private static string SafeRemote(Socket socket)
    {
        try
        {
            return socket.RemoteEndPoint?.ToString() ?? "?";
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            return "?";
        }
    }

    /// <summary>The shorter of the client-side (vserver, else service) and server-side idle timeouts.</summary>
    private long IdleTimeoutMs(Selection selection)
    {
        var settings = selection.Member.Service.Settings;
        var client = selection.ServedBy.Config.ClientTimeout ?? settings.ClientTimeout ?? options.DefaultIdleTimeoutSeconds;
        var server = settings.ServerTimeout ?? options.DefaultIdleTimeoutSeconds;
        var seconds = (client, server) switch
        {
            (0, 0) => 0,
            (0, _) => server,
            (_, 0) => client,
            _ => Math.Min(client, server),
        };
        return seconds * 1000;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 100, Level = LogLevel.Debug, Message = "Connect to {Member} at {Endpoint} failed: {Error}")]
        public static partial void ConnectFailed(ILogger logger, string member, IPEndPoint endpoint, SocketError error);

        [LoggerMessage(EventId = 1010, Level = LogLevel.Debug, Message = "lb vserver {Vserver}: connection from {Peer} closed, PROXY header required: {Error}")]
        public static partial void ProxyHeaderRejected(ILogger logger, string vserver, string peer, string error);
    }
}

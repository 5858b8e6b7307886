using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Portico.Balancing;
using Portico.Listeners;
using Portico.Runtime;

namespace Portico.Forwarding;

/// <summary>
/// The L4 TCP connection chain, run for every accepted client: admission (ACLs), choosing a member
/// (with backup and spillover), connecting to it from the right source address, then relaying.
/// A client that no member can take is refused at once and counted, never left hanging.
/// </summary>
public sealed partial class TcpForwarder(
    BackendConnector connector,
    ConnectionTable table,
    RelayOptions options,
    IEnumerable<IAdmissionPolicy> admission,
    ILogger<TcpForwarder> logger)
{
    private const int ConnectAttempts = 2;
    private readonly IAdmissionPolicy[] _admission = [.. admission];

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
        // client is reset at once and only counted as denied.
        foreach (var policy in _admission)
        {
            if (policy.Deny(remote, local, vserver, ProtocolType.Tcp) is not null)
            {
                Interlocked.Increment(ref counters.Denied);
                Refuse(client);
                return;
            }
        }

        Interlocked.Increment(ref counters.TotalConnections);
        Interlocked.Increment(ref counters.CurrentClientConnections);
        try
        {
            client.NoDelay = true;
            var context = new BalancingContext(remote, local);
            ServiceRuntime? failed = null;
            for (var attempt = 1; attempt <= ConnectAttempts; attempt++)
            {
                if (VserverSelector.SelectAvoiding(vserver, context, failed) is not { } selection)
                {
                    Interlocked.Increment(ref counters.Refused);
                    Refuse(client);
                    return;
                }

                var member = selection.Member.Service;
                Socket server;
                try
                {
                    server = await connector.ConnectAsync(member, CancellationToken.None).ConfigureAwait(false);
                }
                catch (SocketException e)
                {
                    member.Release();
                    failed = member;
                    Interlocked.Increment(ref member.Counters.ConnectFailures);
                    member.Health.Passive.ReportFailure(e.SocketErrorCode == SocketError.TimedOut ? "L4TOUT connect timeout" : $"L4CON {e.SocketErrorCode}");
                    Log.ConnectFailed(logger, member.Name, member.Endpoint, e.SocketErrorCode);
                    continue;
                }

                member.Health.Passive.ReportSuccess();

                await RelayAsync(client, server, selection, remote, local).ConfigureAwait(false);
                return;
            }

            Interlocked.Increment(ref counters.Refused);
            Refuse(client);
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

    private async Task RelayAsync(Socket client, Socket server, Selection selection, IPEndPoint remote, IPEndPoint local)
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
            };
            table.Add(relay);
            try
            {
                await relay.RunAsync().ConfigureAwait(false);
            }
            finally
            {
                table.Remove(relay);
            }
        }
        finally
        {
            member.Release();
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

    private static void Refuse(Socket client)
    {
        try
        {
            client.LingerState = new LingerOption(true, 0);
        }
        catch (SocketException)
        {
        }

        client.Dispose();
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 100, Level = LogLevel.Debug, Message = "Connect to {Member} at {Endpoint} failed: {Error}")]
        public static partial void ConnectFailed(ILogger logger, string member, IPEndPoint endpoint, SocketError error);
    }
}

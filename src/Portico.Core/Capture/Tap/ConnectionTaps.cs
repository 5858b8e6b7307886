using System.Net;

namespace Portico.Capture.Tap;

/// <summary>
/// Where the data paths ask whether a new connection is tapped. With no decrypted-tap capture running this
/// is one volatile read per connection and nothing per byte. A tap covers connections that begin after it
/// starts (the handshake is part of what it writes); connections already open are not followed.
/// </summary>
public sealed class ConnectionTaps
{
    private readonly Lock _lock = new();
    private volatile TapCapture[] _captures = [];

    /// <summary>True while at least one decrypted-tap capture runs.</summary>
    public bool Active => _captures.Length > 0;

    /// <summary>An L4 proxied connection: client → VIP on the client side, Portico's source → member on the server side.</summary>
    public TapConnection? OpenRelay(string vserver, string member, IPEndPoint client, IPEndPoint vip, IPEndPoint? local, IPEndPoint server) =>
        Open(vserver, member, client, vip, local, server);

    /// <summary>The client side of an L7 connection (after TLS on an SSL vserver).</summary>
    public TapConnection? OpenClient(string vserver, IPEndPoint client, IPEndPoint vip) =>
        Open(vserver, null, client, vip, null, null);

    /// <summary>The server side of an L7 connection, Portico's pooled connection to a member.</summary>
    public TapConnection? OpenBackend(string member, IPEndPoint local, IPEndPoint server) =>
        Open(null, member, null, null, local, server);

    internal void Add(TapCapture capture)
    {
        lock (_lock)
        {
            _captures = [.. _captures, capture];
        }
    }

    internal void Remove(TapCapture capture)
    {
        lock (_lock)
        {
            _captures = [.. _captures.Where(c => c != capture)];
        }
    }

    private TapConnection? Open(string? vserver, string? member, IPEndPoint? client, IPEndPoint? vip, IPEndPoint? local, IPEndPoint? server)
    {
        var captures = _captures;
        if (captures.Length == 0)
        {
            return null;
        }

        List<TapFlow>? flows = null;
        foreach (var capture in captures)
        {
            var (clientSide, serverSide) = vserver is not null
                ? capture.Covers(vserver, member)
                : capture.CoversMember(member!);
            var c = clientSide && client is not null && vip is not null ? (new TapEndpoint(client), new TapEndpoint(vip)) : ((TapEndpoint, TapEndpoint)?)null;
            var s = serverSide && local is not null && server is not null ? (new TapEndpoint(local), new TapEndpoint(server)) : ((TapEndpoint, TapEndpoint)?)null;
            if (c is not null || s is not null)
            {
                (flows ??= []).Add(new TapFlow(capture, c, s));
            }
        }

        return flows is null ? null : new TapConnection([.. flows]);
    }
}

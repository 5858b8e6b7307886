using System.Net;
using System.Net.Sockets;

namespace Portico.Listeners;

/// <summary>
/// One reconcile of every kind of listener: which endpoints are taken on each transport, and the words
/// <c>show lb vserver</c> prints and a batch warns with. TCP and UDP may share an address and port, while
/// the L4 TCP path, HTTP and SSL (all TCP) may not. A vserver that listened on its endpoint keeps it
/// against any vserver added later, whatever their data paths; among newcomers, the kind reconciled first
/// (L4) and then the first by name takes it. Written once, so every data path says the same thing.
/// </summary>
/// <param name="held">
/// The endpoints vservers listened on after the last reconcile and still ask for (same name, endpoint and
/// kind of listener): each is kept for its holder.
/// </param>
public sealed class ListenerPlan(IReadOnlyDictionary<(ProtocolType Transport, IPEndPoint EndPoint), string>? held = null)
{
    /// <summary>The status of a vserver that has no address or no port.</summary>
    public const string NotAddressable = "not addressable: reached only as a backup vserver";

    /// <summary>The status of a disabled vserver.</summary>
    public const string Disabled = "disabled: not listening";

    private readonly Dictionary<ProtocolType, HashSet<IPEndPoint>> _taken = [];
    private readonly Dictionary<(ProtocolType Transport, IPEndPoint EndPoint), string> _holders = [];
    private readonly Dictionary<string, string> _status = new(StringComparer.Ordinal);

    /// <summary>The operator's warnings of this reconcile, in the order they arose.</summary>
    public List<string> Warnings { get; } = [];

    /// <summary>The status noted for each vserver, by name.</summary>
    public IReadOnlyDictionary<string, string> Statuses => _status;

    /// <summary>Who listens on each endpoint after this reconcile (a vserver's own endpoint, not a redirect's).</summary>
    public IReadOnlyDictionary<(ProtocolType Transport, IPEndPoint EndPoint), string> Holders => _holders;

    /// <summary>True when the vserver should listen: it is addressable and enabled; otherwise notes why not.</summary>
    public bool Wants(IListeningVserver vserver)
    {
        if (!vserver.IsAddressable)
        {
            Note(vserver, NotAddressable);
            return false;
        }

        if (!vserver.Enabled)
        {
            Note(vserver, Disabled);
            return false;
        }

        return true;
    }

    /// <summary>
    /// Takes the vserver's endpoint on <paramref name="transport"/>; false when a vserver before it took it,
    /// which leaves this one DOWN with the reason noted and warned.
    /// </summary>
    public bool TryTake(IListeningVserver vserver, ProtocolType transport)
    {
        var key = (transport, vserver.EndPoint);
        var heldByAnother = held is not null && held.TryGetValue(key, out var holder) && holder != vserver.Name;
        if (!heldByAnother && Take(vserver.EndPoint, transport))
        {
            _holders[key] = vserver.Name;
            return true;
        }

        Fail(vserver, $"{vserver.Kind} {vserver.Name} cannot listen on {Label(transport)}{vserver.EndPoint}: another vserver uses it");
        return false;
    }

    /// <summary>
    /// Takes a second endpoint of the vserver (<c>-redirectFromPort</c>): a conflict is only warned about,
    /// since the vserver itself still listens.
    /// </summary>
    /// <param name="purpose">What the endpoint is for, in the warning: <c>redirect from</c>.</param>
    public bool TryTakeAlso(IListeningVserver vserver, IPEndPoint endpoint, ProtocolType transport, string purpose)
    {
        if (Take(endpoint, transport))
        {
            return true;
        }

        Warnings.Add($"{vserver.Kind} {vserver.Name} cannot {purpose} {Label(transport)}{endpoint}: another vserver uses it");
        return false;
    }

    /// <summary>Notes that the vserver listens on <paramref name="bound"/> (the real port when it asked for 0).</summary>
    /// <param name="detail">What the listener speaks, after the address: <c> (HTTP/1.1)</c>.</param>
    public void Listening(IListeningVserver vserver, IPEndPoint bound, ProtocolType transport, string detail = "") =>
        Note(vserver, $"listening on {Label(transport)}{bound}{detail}");

    /// <summary>The vserver's endpoint could not be bound: DOWN, with the reason in words an operator can act on.</summary>
    public void CannotListen(IListeningVserver vserver, ProtocolType transport, Exception error)
    {
        _holders.Remove((transport, vserver.EndPoint));
        Fail(vserver, $"{vserver.Kind} {vserver.Name} cannot listen on {Label(transport)}{vserver.EndPoint}: {Explain(error)}");
    }

    /// <summary>A second endpoint of the vserver could not be bound: warned about only.</summary>
    /// <param name="what">What the endpoint is for, in the warning: <c>redirect</c>.</param>
    public void CannotListenAlso(IListeningVserver vserver, IPEndPoint endpoint, ProtocolType transport, string what, Exception error) =>
        Warnings.Add($"{vserver.Kind} {vserver.Name} cannot listen on {Label(transport)}{endpoint} ({what}): {Explain(error)}");

    /// <summary>Sets the vserver's status (replacing what was noted).</summary>
    public void Note(IListeningVserver vserver, string status) => _status[vserver.Name] = status;

    /// <summary>The status noted so far for <paramref name="vserver"/>, or null.</summary>
    public string? NoteOf(string vserver) => _status.GetValueOrDefault(vserver);

    /// <summary>The vserver cannot listen: noted, warned, and its state DOWN.</summary>
    public void Fail(IListeningVserver vserver, string message)
    {
        Note(vserver, message);
        vserver.ListenFailure = message;
        Warnings.Add(message);
    }

    /// <summary>
    /// Why a bind failed, for an operator: the usual socket errors in words, else the error's own message.
    /// Kestrel wraps the socket error in an <see cref="IOException"/>, or names it only in its message.
    /// </summary>
    public static string Explain(Exception error) => (error as SocketException ?? error.InnerException as SocketException) is { } socket
        ? socket.SocketErrorCode switch
        {
            SocketError.AddressAlreadyInUse => "the address is already in use by another program",
            SocketError.AddressNotAvailable => "the address is not configured on this host",
            SocketError.AccessDenied => "permission denied (ports below 1024 need root or CAP_NET_BIND_SERVICE)",
            _ => socket.Message,
        }
        : error.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase) ? "the address is already in use by another program" : error.Message;

    private bool Take(IPEndPoint endpoint, ProtocolType transport)
    {
        if (!_taken.TryGetValue(transport, out var taken))
        {
            _taken[transport] = taken = [];
        }

        return taken.Add(endpoint);
    }

    // UDP endpoints are named as such, since a TCP vserver may hold the same address and port.
    private static string Label(ProtocolType transport) => transport == ProtocolType.Udp ? "udp " : "";
}

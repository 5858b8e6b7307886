using System.Net;
using Portico.LoadBalancing;

namespace Portico.Listeners;

/// <summary>
/// Something clients connect to: what <see cref="ListenerManager"/> reconciles and what an
/// <see cref="IVserverListeners"/> claims. An <c>lb vserver</c> today (<see cref="LbListeningVserver"/>);
/// a <c>cs vserver</c> plugs in as one more implementation, and each kind of listener serves the
/// runtime of the kinds it claims.
/// </summary>
public interface IListeningVserver
{
    /// <summary>The object word the operator's messages name it by: <c>lb vserver</c>.</summary>
    string Kind { get; }

    string Name { get; }

    /// <summary>The protocol clients speak to it (<c>TCP</c>, <c>UDP</c>, <c>HTTP</c>, <c>SSL</c>...).</summary>
    ServiceType Type { get; }

    /// <summary>The configured address and port; meaningful only when <see cref="IsAddressable"/>.</summary>
    IPEndPoint EndPoint { get; }

    /// <summary>Has an address and a port to listen on; otherwise reached only through another vserver.</summary>
    bool IsAddressable { get; }

    bool Enabled { get; }

    /// <summary>
    /// Why this enabled, addressable vserver has no listener this generation, or null: the listeners set it
    /// when they reconcile, and the vserver's state shows it (a vserver no client can reach is DOWN).
    /// </summary>
    string? ListenFailure { get; set; }
}

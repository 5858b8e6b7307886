using System.Net;
using Portico.LoadBalancing;
using Portico.Runtime;

namespace Portico.Listeners;

/// <summary>
/// A data path other than the L4 full proxy that listens for vservers of its own types (the L7 HTTP
/// path for HTTP and SSL). <see cref="ListenerManager"/> reconciles L4 sockets itself and hands every
/// change to these, so <c>show lb vserver</c> and the warnings of a batch cover every vserver.
/// </summary>
public interface IVserverListeners
{
    /// <summary>True for the vserver types this data path listens for.</summary>
    bool Serves(ServiceType type);

    /// <summary>
    /// True for the vservers this data path serves instead of the L4 full proxy: by default those of the
    /// types it <see cref="Serves"/>; the DSR path claims <c>-m MAC</c> vservers of any L4 type.
    /// </summary>
    bool Claims(LbVserver vserver) => Serves(vserver.Type);

    /// <summary>Brings its listeners in line with <paramref name="model"/>; returns warnings for the operator.</summary>
    /// <param name="model">The runtime model just committed.</param>
    /// <param name="taken">Endpoints the L4 path already listens on, which this path must not claim.</param>
    IReadOnlyList<string> Reconcile(RuntimeModel model, IReadOnlySet<IPEndPoint> taken);

    /// <summary>Where the vserver listens, or why it does not; null when the vserver is unknown here.</summary>
    string? StatusOf(string vserver);

    /// <summary>The bound endpoint of the vserver's listener, or null.</summary>
    IPEndPoint? EndPointOf(string vserver);

    /// <summary>
    /// Stops accepting new connections on every listener at once (Portico is stopping); in-flight work
    /// goes on and is awaited by the data path's own hosted service.
    /// </summary>
    void StopAccepting();
}

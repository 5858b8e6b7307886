using System.Net;
using Portico.Runtime;

namespace Portico.Listeners;

/// <summary>
/// One kind of listener: a data path that listens for the vservers it claims (the L4 TCP full proxy,
/// UDP, the L7 HTTP path for HTTP and SSL, DSR). <see cref="ListenerManager"/> hands every listening
/// vserver to the one kind that claims it, then lets each kind reconcile in turn against one shared
/// <see cref="ListenerPlan"/>, so <c>show lb vserver</c> and the warnings of a batch cover every vserver,
/// in the same words whichever data path serves it.
/// </summary>
public interface IVserverListeners
{
    /// <summary>
    /// True for the vservers this data path serves (by type, and for DSR by <c>-m MAC</c>). At most one
    /// kind claims a vserver; a vserver no kind claims is reported as not served by this version.
    /// </summary>
    bool Claims(IListeningVserver vserver);

    /// <summary>Brings its listeners in line with the vservers it claims.</summary>
    /// <param name="model">The runtime model just committed.</param>
    /// <param name="vservers">The vservers of <paramref name="model"/> it claims, ordered by name.</param>
    /// <param name="plan">
    /// Where it takes endpoints (an endpoint a kind reconciled before it took on the same transport is not
    /// its), and notes each vserver's status and the operator's warnings.
    /// </param>
    void Reconcile(RuntimeModel model, IReadOnlyList<IListeningVserver> vservers, ListenerPlan plan);

    /// <summary>
    /// A status that is read live rather than noted at reconcile (DSR: which servers answer ARP); null to
    /// show the one noted in the plan.
    /// </summary>
    string? StatusOf(string vserver) => null;

    /// <summary>The bound endpoint of the vserver's listener, or null.</summary>
    IPEndPoint? EndPointOf(string vserver);

    /// <summary>
    /// Stops accepting new connections on every listener at once (Portico is stopping); in-flight work
    /// goes on and is awaited by the data path's own hosted service.
    /// </summary>
    void StopAccepting();
}

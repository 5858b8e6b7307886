using System.Net;
using Portico.Runtime;

namespace Portico.Listeners;

/// <summary>
/// A check run when a connection is accepted, before a byte is read from it: simple ACLs, extended
/// ACLs and GeoIP rules plug in here, in the order they are registered.
/// </summary>
public interface IAdmissionPolicy
{
    /// <summary>Null to let the connection through, or the reason it is denied (for counters and logs).</summary>
    string? Deny(IPEndPoint client, IPEndPoint local, VserverRuntime vserver);
}

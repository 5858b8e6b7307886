using System.Net;
using Portico.Runtime;

namespace Portico.Listeners;

/// <summary>
/// A listening socket that serves one L4 vserver. A config change hands it the vserver's new runtime
/// instead of closing it, so established connections and the listen queue survive a reload.
/// </summary>
public interface IVserverSocket : IDisposable
{
    /// <summary>Where the socket is bound (the real port when the config asked for port 0).</summary>
    IPEndPoint EndPoint { get; }

    /// <summary>The runtime new connections or datagrams are served with.</summary>
    VserverRuntime Vserver { get; set; }
}

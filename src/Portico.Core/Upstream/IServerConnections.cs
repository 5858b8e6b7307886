using System.Net.Sockets;

namespace Portico.Upstream;

/// <summary>
/// The server-side sockets a data path holds open now: what the source-port counters read to tell how
/// close each (source, destination) pair is to the kernel's ephemeral range. A narrow view, so Upstream
/// does not need to know how a data path keeps its connections (the L4 connection table).
/// </summary>
public interface IServerConnections
{
    /// <summary>One socket per open server connection; a socket may close while it is read.</summary>
    IEnumerable<Socket> ServerSockets { get; }
}

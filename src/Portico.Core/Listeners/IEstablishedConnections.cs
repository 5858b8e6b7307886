using System.Net;
using System.Net.Sockets;

namespace Portico.Listeners;

/// <summary>
/// The client connections (or UDP sessions) one data path holds open, so that a rule applied later can
/// close those it covers: <c>apply ns acls</c> closes the sessions new DENY rules match, and
/// <c>flush ns simpleacl -estSessions</c> those the simple ACLs match.
/// </summary>
public interface IEstablishedConnections
{
    /// <summary>Resets every open connection for which <paramref name="covered"/> is true; returns how many.</summary>
    /// <param name="covered">Called with the client's endpoint, the local endpoint and the protocol.</param>
    /// <param name="reason">Why, for logs and the relay's abort reason.</param>
    int Cut(Func<IPEndPoint, IPEndPoint, ProtocolType, bool> covered, string reason);
}

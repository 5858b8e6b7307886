using Portico.LoadBalancing;
using Portico.Runtime;

namespace Portico.Persistence;

/// <summary>
/// How a vserver keeps a client on the member it was sent to (<c>-persistenceType</c>), one implementation per
/// word (<see cref="PersistencePolicies"/>). The L4 path (TCP connections, new UDP sessions) and the L7 path
/// (requests) call the same policy: find the persisted member first, balance only when there is none, then
/// remember what was chosen. Implementations are called concurrently from every accept and request and must
/// neither block nor allocate per call beyond a new client's first entry.
/// </summary>
public interface IPersistencePolicy
{
    /// <summary>The operator's word this policy answers to.</summary>
    PersistenceType Type { get; }

    /// <summary>
    /// The policy reads a cookie from each request and sets it on the response, so only the L7 path can
    /// run it; on an L4 vserver it has no effect (and <c>config check</c> says so).
    /// </summary>
    bool UsesCookie { get; }

    /// <summary>
    /// The member <paramref name="client"/> is persisted to, reserved, when it can still take the client: UP,
    /// enabled, below <c>-maxClient</c>, and of the vserver of the chain that serves new clients now (a sorry
    /// server keeps nobody). Null sends the client to balancing, as NetScaler does.
    /// </summary>
    Selection? Find(VserverRuntime vserver, in PersistenceClient client);

    /// <summary>
    /// Records that <paramref name="client"/> now goes to <paramref name="member"/>. Returns the cookie value the
    /// response must set (COOKIEINSERT), or null when the client needs to be told nothing.
    /// </summary>
    string? Remember(VserverRuntime vserver, in PersistenceClient client, ServiceRuntime member);
}

using System.Net;
using Portico.Persistence;
using Portico.Runtime;

namespace Portico.Http.Requests;

/// <summary>
/// How every L7 request gets its member, whichever front end read it (Portico's HTTP/1.1 engine, or Kestrel for
/// HTTP/2): persistence first (the vserver's <see cref="IPersistencePolicy"/>, the same one the L4 path calls),
/// else the vserver's method through <see cref="VserverSelector"/> (backup vserver, spillover, <c>-maxClient</c>).
/// The member comes back reserved: the caller releases it when the response has ended.
/// </summary>
internal sealed class RequestSelection(PersistencePolicies persistence)
{
    /// <summary>The persisted member if it can still take the request, else a balanced one; null: nobody can (503).</summary>
    /// <param name="url">Path and query, read only when <see cref="HttpVserver.NeedsUrl"/>.</param>
    /// <param name="cookie">The vserver's persistence cookie, read only when <see cref="UsesCookie"/> is true.</param>
    public Selection? Choose(HttpVserver vserver, IPEndPoint client, IPEndPoint local, string? url, string? cookie) =>
        (Policy(vserver) is { } policy ? policy.Find(vserver.Runtime, new PersistenceClient(client.Address, cookie)) : null)
        ?? VserverSelector.Select(vserver.Runtime, new BalancingContext(client, local, url));

    /// <summary>Another member than <paramref name="failed"/>, for the one retry of a request that could not connect.</summary>
    public static Selection? ChooseAvoiding(HttpVserver vserver, IPEndPoint client, IPEndPoint local, string? url, ServiceRuntime failed) =>
        VserverSelector.SelectAvoiding(vserver.Runtime, new BalancingContext(client, local, url), failed);

    /// <summary>Records the member for persistence; returns the COOKIEINSERT value the response must set, or null.</summary>
    public string? Remember(HttpVserver vserver, IPEndPoint client, string? cookie, ServiceRuntime member) =>
        Policy(vserver)?.Remember(vserver.Runtime, new PersistenceClient(client.Address, cookie), member);

    /// <summary>True when the vserver's persistence reads a cookie from requests.</summary>
    public bool UsesCookie(HttpVserver vserver) => Policy(vserver) is { UsesCookie: true };

    private IPersistencePolicy? Policy(HttpVserver vserver) => persistence.For(vserver.Config.Persistence);
}

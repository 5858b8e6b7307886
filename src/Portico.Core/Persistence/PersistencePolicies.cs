using System.Net;
using Portico.LoadBalancing;
using Portico.Runtime;

namespace Portico.Persistence;

/// <summary>
/// The built-in persistence policies, one per <c>-persistenceType</c> word Portico acts on (NONE has none), and
/// the two calls the L4 paths make: <see cref="Select"/> for a new TCP connection or UDP session, then
/// <see cref="Remember"/> once the member is reached. The L7 path asks <see cref="For"/> and reads the cookie.
/// </summary>
public sealed class PersistencePolicies
{
    private readonly IPersistencePolicy?[] _byType;

    public PersistencePolicies(SourceIpPersistenceTable sourceIps)
    {
        _byType = new IPersistencePolicy?[Enum.GetValues<PersistenceType>().Length];
        foreach (var policy in new IPersistencePolicy[] { new SourceIpPersistencePolicy(sourceIps), new CookieInsertPersistencePolicy() })
        {
            _byType[(int)policy.Type] = policy;
        }
    }

    /// <summary>The policy of <paramref name="type"/>; null for NONE.</summary>
    public IPersistencePolicy? For(PersistenceType type) => _byType[(int)type];

    /// <summary>The policy an L4 vserver runs: none for a policy that needs requests (COOKIEINSERT).</summary>
    public IPersistencePolicy? ForConnections(PersistenceType type) => _byType[(int)type] is { UsesCookie: false } p ? p : null;

    /// <summary>
    /// The member of a new L4 connection or UDP session, reserved: the persisted one while it can take the client,
    /// else the vserver's balancing (with backup and spillover). A retry after <paramref name="failed"/> could not
    /// be reached is balanced, never sent back to the persisted member.
    /// </summary>
    public Selection? Select(VserverRuntime vserver, in BalancingContext context, ServiceRuntime? failed = null)
    {
        if (failed is null && ForConnections(vserver.Config.Persistence) is { } policy
            && policy.Find(vserver, new PersistenceClient(context.Client.Address)) is { } persisted)
        {
            return persisted;
        }

        return VserverSelector.SelectAvoiding(vserver, context, failed);
    }

    /// <summary>Records the member an L4 client reached, so its next connections or sessions go there too.</summary>
    public void Remember(VserverRuntime vserver, IPAddress client, ServiceRuntime member) =>
        ForConnections(vserver.Config.Persistence)?.Remember(vserver, new PersistenceClient(client), member);

    /// <summary>
    /// Whether <paramref name="persistence"/> acts on a full-proxy vserver of <paramref name="type"/>: SOURCEIP on
    /// every type (L4 connections, UDP sessions, L7 requests), COOKIEINSERT on HTTP and SSL only. For
    /// <c>config check</c>'s "no effect" notes.
    /// </summary>
    public static bool WorksOn(ServiceType type, PersistenceType persistence) =>
        persistence != PersistenceType.CookieInsert || type.IsHttp();
}

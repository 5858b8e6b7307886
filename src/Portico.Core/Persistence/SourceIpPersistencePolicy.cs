using Portico.LoadBalancing;
using Portico.Runtime;

namespace Portico.Persistence;

/// <summary>
/// <c>-persistenceType SOURCEIP</c>: a client address goes to the member it went to last, for <c>-timeout</c>
/// minutes after its last connection or request (NetScaler's default 2). Works on every full-proxy vserver:
/// TCP connections, UDP sessions and HTTP requests share one table.
/// </summary>
public sealed class SourceIpPersistencePolicy(SourceIpPersistenceTable table) : IPersistencePolicy
{
    public PersistenceType Type => PersistenceType.SourceIp;

    public bool UsesCookie => false;

    public Selection? Find(VserverRuntime vserver, in PersistenceClient client) =>
        table.Lookup(vserver.Name, client.Address, TimeoutOf(vserver)) is { } key && PersistedMembers.Of(vserver).TryFindKey(key, out var found)
            ? found.Take(vserver)
            : null;

    public string? Remember(VserverRuntime vserver, in PersistenceClient client, ServiceRuntime member)
    {
        table.Record(vserver.Name, client.Address, PersistedMembers.Of(vserver).KeyOf(member), member.Name, member.Endpoint, TimeoutOf(vserver));
        return null;
    }

    private static TimeSpan TimeoutOf(VserverRuntime vserver) => TimeSpan.FromMinutes(vserver.Config.PersistenceTimeoutMinutes);
}

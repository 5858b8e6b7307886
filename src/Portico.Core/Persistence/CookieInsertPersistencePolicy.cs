using Portico.LoadBalancing;
using Portico.Runtime;

namespace Portico.Persistence;

/// <summary>
/// <c>-persistenceType COOKIEINSERT</c>: the client holds the member's name as a cookie (<see cref="PersistenceCookie"/>),
/// so Portico keeps no table. Needs requests to read the cookie from and responses to set it on: L7 only.
/// </summary>
public sealed class CookieInsertPersistencePolicy : IPersistencePolicy
{
    public PersistenceType Type => PersistenceType.CookieInsert;

    public bool UsesCookie => true;

    public Selection? Find(VserverRuntime vserver, in PersistenceClient client) =>
        client.Cookie is { } value && PersistedMembers.Of(vserver).TryFindCookie(value, out var found) ? found.Take(vserver) : null;

    public string? Remember(VserverRuntime vserver, in PersistenceClient client, ServiceRuntime member)
    {
        var value = PersistedMembers.Of(vserver).CookieOf(member);

        // With a timeout the cookie's expiry slides with every response (NetScaler's inactivity period);
        // a session cookie the client already holds is not sent again.
        return vserver.Config.PersistenceTimeoutMinutes > 0 || client.Cookie != value ? value : null;
    }
}

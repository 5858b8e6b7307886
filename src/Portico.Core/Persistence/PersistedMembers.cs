using System.Collections.Frozen;
using System.Runtime.CompilerServices;
using Portico.LoadBalancing;
using Portico.Runtime;

namespace Portico.Persistence;

/// <summary>
/// The members a vserver and its backup chain may persist a client to, by identity key (SOURCEIP entries name
/// them so, which survives reloads) and by cookie value (COOKIEINSERT), with each member's key and cookie
/// computed once. Built lazily once per runtime generation and cached against the runtime, which a reload
/// replaces: the data path pays a lock-free lookup, never a string built per connection.
/// </summary>
internal sealed class PersistedMembers
{
    private static readonly ConditionalWeakTable<VserverRuntime, PersistedMembers> Cache = new();
    private static readonly ConditionalWeakTable<VserverRuntime, PersistedMembers>.CreateValueCallback Build = v => new PersistedMembers(v);

    private readonly FrozenDictionary<string, PersistedMember> _byKey;
    private readonly FrozenDictionary<string, PersistedMember> _byCookie;
    private readonly FrozenDictionary<ServiceRuntime, (string Key, string? Cookie)> _names;

    private PersistedMembers(VserverRuntime vserver)
    {
        var cookies = vserver.Config.Persistence == PersistenceType.CookieInsert;
        var byKey = new Dictionary<string, PersistedMember>(StringComparer.Ordinal);
        var byCookie = new Dictionary<string, PersistedMember>(StringComparer.Ordinal);
        var names = new Dictionary<ServiceRuntime, (string, string?)>();
        var seen = new HashSet<VserverRuntime>();
        for (var chain = vserver; chain is not null && seen.Add(chain); chain = chain.Backup)
        {
            foreach (var m in chain.Members)
            {
                if (names.ContainsKey(m.Service))
                {
                    continue;
                }

                var key = m.Service.Key;
                var cookie = cookies ? PersistenceCookie.ValueFor(m.Service) : null;
                names[m.Service] = (key, cookie);
                byKey.TryAdd(key, new PersistedMember(m, chain));
                if (cookie is not null)
                {
                    byCookie.TryAdd(cookie, new PersistedMember(m, chain));
                }
            }
        }

        _byKey = byKey.ToFrozenDictionary(StringComparer.Ordinal);
        _byCookie = byCookie.ToFrozenDictionary(StringComparer.Ordinal);
        _names = names.ToFrozenDictionary();
    }

    public static PersistedMembers Of(VserverRuntime vserver) => Cache.GetValue(vserver, Build);

    public bool TryFindKey(string key, out PersistedMember member) => _byKey.TryGetValue(key, out member);

    public bool TryFindCookie(string cookie, out PersistedMember member) => _byCookie.TryGetValue(cookie, out member);

    /// <summary>The member's identity key, the same string instance every time (so comparing it is cheap).</summary>
    public string KeyOf(ServiceRuntime member) => _names.TryGetValue(member, out var n) ? n.Key : member.Key;

    /// <summary>The member's COOKIEINSERT value.</summary>
    public string CookieOf(ServiceRuntime member) =>
        _names.TryGetValue(member, out var n) && n.Cookie is { } cookie ? cookie : PersistenceCookie.ValueFor(member);
}

using System.Collections.Frozen;
using Portico.Balancing;
using Portico.Http.Tls;
using Portico.LoadBalancing;
using Portico.Runtime;
using Yarp.ReverseProxy.Model;

namespace Portico.Http;

/// <summary>
/// One HTTP or SSL vserver compiled for the L7 data path, for one config generation: its runtime (members,
/// balancer, counters, backup), a YARP destination for every member it or its backup chain may choose,
/// the name of its persistence cookie, and its certificates. Requests read it once.
/// </summary>
internal sealed class HttpVserver
{
    public HttpVserver(VserverRuntime runtime, IReadOnlyDictionary<ServiceRuntime, DestinationState> members, TlsCertificates? tls, string clientIpHeader,
        Proxying.EngineProfile profile, Func<ServiceRuntime, Proxying.MemberPool> pools)
    {
        Runtime = runtime;
        Members = members.ToFrozenDictionary();
        Pools = members.Keys.ToFrozenDictionary(m => m, pools);
        _pools = pools;
        Profile = profile;
        CookieName = Persistence.PersistenceCookie.NameFor(runtime.Name);
        CookieNameBytes = System.Text.Encoding.ASCII.GetBytes(CookieName);
        Tls = tls;
        ClientIpHeader = clientIpHeader;
        var chainUsesUrl = false;
        for (var v = runtime; v is not null && !chainUsesUrl; v = v.Backup == runtime ? null : v.Backup)
        {
            chainUsesUrl = v.Config.Method == LbMethod.UrlHash;
        }

        NeedsUrl = chainUsesUrl;
    }

    private readonly Func<ServiceRuntime, Proxying.MemberPool> _pools;

    public VserverRuntime Runtime { get; }

    /// <summary>The HTTP profile the engine applies (<c>-httpProfileName</c>, else the default profile).</summary>
    public Proxying.EngineProfile Profile { get; }

    public Parsing.HttpLimits Limits => Profile.Limits;

    /// <summary>The keep-alive pool of every member this vserver or its backups may choose.</summary>
    public FrozenDictionary<ServiceRuntime, Proxying.MemberPool> Pools { get; }

    /// <summary>The pool of <paramref name="member"/> (a member outside the chain, e.g. removed meanwhile, still gets its own).</summary>
    public Proxying.MemberPool PoolOf(ServiceRuntime member) => Pools.TryGetValue(member, out var pool) ? pool : _pools(member);

    public string Name => Runtime.Name;

    public LbVserver Config => Runtime.Config;

    /// <summary>Every member this vserver or its backups may choose, with its YARP destination.</summary>
    public FrozenDictionary<ServiceRuntime, DestinationState> Members { get; }

    public string CookieName { get; }

    public byte[] CookieNameBytes { get; }

    /// <summary>The COOKIEINSERT cookie, a version 0 cookie as NetScaler sends by default: an absolute Expires, none for timeout 0.</summary>
    public string PersistenceCookie(string value, TimeProvider time)
    {
        var cookie = $"{CookieName}={value}; Path=/; HttpOnly";
        if (Config.PersistenceTimeoutMinutes > 0)
        {
            var expires = time.GetUtcNow() + PersistenceTimeout;
            cookie += "; Expires=" + expires.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
        }

        return Config.Type == ServiceType.Ssl ? cookie + "; Secure" : cookie;
    }

    public TimeSpan PersistenceTimeout => TimeSpan.FromMinutes(Config.PersistenceTimeoutMinutes);

    /// <summary>The certificates of an SSL vserver; null for HTTP.</summary>
    public TlsCertificates? Tls { get; }

    /// <summary>The client-IP header of a service that enables <c>-cip</c> without naming one.</summary>
    public string ClientIpHeader { get; }

    /// <summary>Set for a cs vserver: its policies choose the lb vserver of each request.</summary>
    public Switching.HttpSwitch? Switch { get; init; }

    /// <summary>A method in the vserver's chain hashes the URL, so the request's URL must be read.</summary>
    public bool NeedsUrl { get; }
}

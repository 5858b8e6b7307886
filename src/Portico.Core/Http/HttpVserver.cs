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
    public HttpVserver(VserverRuntime runtime, IReadOnlyDictionary<ServiceRuntime, DestinationState> members, TlsCertificates? tls, string clientIpHeader)
    {
        Runtime = runtime;
        Members = members.ToFrozenDictionary();
        CookieName = Persistence.PersistenceCookie.NameFor(runtime.Name);
        Tls = tls;
        ClientIpHeader = clientIpHeader;
        var chainUsesUrl = false;
        for (var v = runtime; v is not null && !chainUsesUrl; v = v.Backup == runtime ? null : v.Backup)
        {
            chainUsesUrl = v.Config.Method == LbMethod.UrlHash;
        }

        NeedsUrl = chainUsesUrl;
    }

    public VserverRuntime Runtime { get; }

    public string Name => Runtime.Name;

    public LbVserver Config => Runtime.Config;

    /// <summary>Every member this vserver or its backups may choose, with its YARP destination.</summary>
    public FrozenDictionary<ServiceRuntime, DestinationState> Members { get; }

    public string CookieName { get; }

    public TimeSpan PersistenceTimeout => TimeSpan.FromMinutes(Config.PersistenceTimeoutMinutes);

    /// <summary>The certificates of an SSL vserver; null for HTTP.</summary>
    public TlsCertificates? Tls { get; }

    /// <summary>The client-IP header of a service that enables <c>-cip</c> without naming one.</summary>
    public string ClientIpHeader { get; }

    /// <summary>A method in the vserver's chain hashes the URL, so the request's URL must be read.</summary>
    public bool NeedsUrl { get; }
}

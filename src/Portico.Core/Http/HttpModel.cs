using System.Collections.Frozen;
using System.Net;
using Portico.Appliance;
using Portico.Compression;
using Portico.Http.Tls;
using Portico.LoadBalancing;
using Portico.Runtime;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Model;

namespace Portico.Http;

/// <summary>
/// The L7 view of one runtime model: every HTTP and SSL vserver compiled (<see cref="HttpVserver"/>),
/// and members by address so backend connections can leave from the member's SNIP.
/// </summary>
internal sealed class HttpModel
{
    public static readonly HttpModel Empty = new(0, FrozenDictionary<string, HttpVserver>.Empty, FrozenDictionary<IPEndPoint, ServiceRuntime>.Empty);

    private HttpModel(long generation, FrozenDictionary<string, HttpVserver> vservers, FrozenDictionary<IPEndPoint, ServiceRuntime> byEndpoint)
    {
        Generation = generation;
        Vservers = vservers;
        MembersByEndpoint = byEndpoint;
    }

    public long Generation { get; }

    public FrozenDictionary<string, HttpVserver> Vservers { get; }

    public FrozenDictionary<IPEndPoint, ServiceRuntime> MembersByEndpoint { get; }

    /// <summary>Compiles the HTTP and SSL vservers of <paramref name="model"/>; certificate problems become warnings.</summary>
    public static HttpModel Build(RuntimeModel model, IEnumerable<ContentSwitching.CsListeningVserver> switching, CertificateLoader certificates,
        Proxying.ServerConnector servers, List<string> warnings)
    {
        var config = model.Config;
        var cipHeader = config.Param.ClientIpHeader ?? NsParam.DefaultClientIpHeader;
        var destinations = new Dictionary<ServiceRuntime, DestinationState>();
        var vservers = new Dictionary<string, HttpVserver>(StringComparer.Ordinal);
        foreach (var v in model.Vservers.Values.Where(v => v.Config.Type.IsHttp()))
        {
            var members = new Dictionary<ServiceRuntime, DestinationState>();
            var seen = new HashSet<VserverRuntime>();
            for (var chain = v; chain is not null && seen.Add(chain); chain = chain.Backup)
            {
                foreach (var m in chain.Members)
                {
                    if (!destinations.TryGetValue(m.Service, out var d))
                    {
                        d = new DestinationState(m.Service.Name, new DestinationModel(new DestinationConfig { Address = AddressOf(m.Service) }));
                        destinations[m.Service] = d;
                    }

                    members.TryAdd(m.Service, d);
                }
            }

            var profile = Proxying.EngineProfiles.Of(config, v.Config);
            vservers[v.Name] = new HttpVserver(v, members, v.Config.Type == ServiceType.Ssl ? Tls(config, v.Name, certificates, warnings, OffersHttp2(config, [profile])) : null, cipHeader,
                profile, servers.PoolOf);
        }

        foreach (var cs in switching)
        {
            vservers[cs.Name] = Switching(config, cs.Runtime, vservers, certificates, cipHeader, servers, warnings);
        }

        var byEndpoint = new Dictionary<IPEndPoint, ServiceRuntime>();
        foreach (var s in destinations.Keys)
        {
            byEndpoint.TryAdd(s.Endpoint, s);
        }

        servers.Retain(destinations.Keys.Select(s => s.Key).ToHashSet(StringComparer.Ordinal));
        return new HttpModel(config.Generation, vservers.ToFrozenDictionary(StringComparer.Ordinal), byEndpoint.ToFrozenDictionary());
    }

    /// <summary>
    /// Compression (whose built-in policies apply everywhere once CMP is on) and a profile's -eTag/-expires
    /// (docs/design/etags.md) run on the HTTP/1.1 engine only: an SSL vserver they may apply to offers only http/1.1 in
    /// ALPN, so a client gets the same validators and bodies whatever it speaks.
    /// </summary>
    private static bool OffersHttp2(Configuration.RunningConfig config, IEnumerable<Proxying.EngineProfile> profiles) =>
        !config.CmpFeature.Enabled && profiles.All(p => p.Validators is null);

    /// <summary>A cs vserver: no members of its own; each request goes on to the lb vserver its table chooses.</summary>
    private static HttpVserver Switching(Configuration.RunningConfig config, ContentSwitching.CsVserverRuntime cs, Dictionary<string, HttpVserver> lb,
        CertificateLoader certificates, string cipHeader, Proxying.ServerConnector servers, List<string> warnings)
    {
        HttpVserver? Target(string? name) => name is not null && lb.TryGetValue(name, out var v) ? v : null;
        var targets = cs.Table.Entries.Select(e => Target(e.Target)).ToArray();
        // The features HTTP/2 lacks follow the request to its lb vserver: any target's profile counts.
        var profiles = targets.Append(Target(cs.Table.DefaultTarget)).OfType<HttpVserver>().Select(t => t.Profile);
        var tls = cs.Config.Type == ServiceType.Ssl ? Tls(config, cs.Name, certificates, warnings, OffersHttp2(config, profiles)) : null;
        return new HttpVserver(cs.Front, new Dictionary<ServiceRuntime, DestinationState>(), tls, cipHeader, Proxying.EngineProfiles.Of(config, cs.Front.Config),
            servers.PoolOf)
        {
            Switch = new Switching.HttpSwitch(cs, targets, Target(cs.Table.DefaultTarget)),
        };
    }

    /// <summary><c>http://10.0.0.1:80</c>; SSL services are reached over TLS (<c>https://</c>).</summary>
    public static string AddressOf(ServiceRuntime s)
    {
        var scheme = s.Type is ServiceType.Ssl or ServiceType.SslTcp ? "https" : "http";
        var host = s.Endpoint.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{s.Endpoint.Address}]" : s.Endpoint.Address.ToString();
        return $"{scheme}://{host}:{s.Endpoint.Port}";
    }

    private static TlsCertificates Tls(Configuration.RunningConfig config, string vserver, CertificateLoader certificates, List<string> warnings, bool http2 = true)
    {
        LoadedCertificate? server = null;
        var sni = new List<LoadedCertificate>();
        foreach (var b in config.SslBindings.Where(b => b.Vserver == vserver))
        {
            if (!config.CertKeys.Any(k => k.Name == b.CertKey))
            {
                continue;
            }

            try
            {
                var ck = config.CertKeys.First(k => k.Name == b.CertKey);
                var cert = certificates.Load(ck, CertKeyChain.Of(config.CertKeys.ToDictionary(k => k.Name, StringComparer.Ordinal), ck));
                if (b.Sni)
                {
                    sni.Add(cert);
                }
                else
                {
                    server = cert;
                }
            }
            catch (CertificateLoadException e)
            {
                // The files were readable when the certKey was added; a later reload finds them broken.
                warnings.Add($"ssl vserver {vserver}: certKey {b.CertKey} is not usable: {e.Message}");
            }
        }

        return new TlsCertificates(server, sni, http2);
    }
}

using Microsoft.Extensions.Primitives;
using Portico.LoadBalancing;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;

namespace Portico.Http.Routing;

/// <summary>
/// Portico's model as YARP sees it: a route and a cluster per HTTP or SSL vserver, both named after the
/// vserver. The route matches every path; <see cref="VserverMatcherPolicy"/> keeps it to the connections
/// of its own listener. The cluster carries the backend HTTP settings; which member serves a request is
/// decided by Portico's balancing (see <see cref="Pipeline.SelectionMiddleware"/>).
/// </summary>
internal sealed class PorticoProxyConfigProvider : IProxyConfigProvider
{
    /// <summary>NetScaler's default server idle timeout for HTTP services (seconds).</summary>
    public const long DefaultServerTimeoutSeconds = 360;

    private volatile Snapshot _current = new([], []);

    public IProxyConfig GetConfig() => _current;

    /// <summary>Publishes the routes and clusters of <paramref name="model"/>; YARP reloads on the change token.</summary>
    public void Update(HttpModel model)
    {
        var routes = new List<RouteConfig>();
        var clusters = new List<ClusterConfig>();
        foreach (var v in model.Vservers.Values)
        {
            routes.Add(new RouteConfig
            {
                RouteId = v.Name,
                ClusterId = v.Name,
                Match = new RouteMatch { Path = "/{**catch-all}" },
                Metadata = new Dictionary<string, string> { [GenerationKey] = model.Generation.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            });
            var members = v.Members.Keys.ToList();
            clusters.Add(new ClusterConfig
            {
                ClusterId = v.Name,
                Destinations = v.Members.ToDictionary(d => d.Key.Name, d => d.Value.Model.Config, StringComparer.Ordinal),
                HttpClient = new HttpClientConfig
                {
                    // NetScaler does not verify server certificates toward SSL services unless told to.
                    DangerousAcceptAnyServerCertificate = members.Any(m => m.Type is ServiceType.Ssl or ServiceType.SslTcp),
                    MaxConnectionsPerServer = null,
                },
                HttpRequest = new ForwarderRequestConfig
                {
                    // HTTP/1.1 with keep-alive to every backend, whatever the client spoke (HTTP/2 ends here).
                    Version = System.Net.HttpVersion.Version11,
                    VersionPolicy = System.Net.Http.HttpVersionPolicy.RequestVersionOrLower,
                    ActivityTimeout = TimeSpan.FromSeconds(ServerTimeoutSeconds(members)),
                },
            });
        }

        var previous = _current;
        _current = new Snapshot(routes, clusters);
        previous.Signal();
    }

    /// <summary>Metadata key holding the config generation a route was built from.</summary>
    public const string GenerationKey = "portico.generation";

    /// <summary>
    /// YARP times a request out per cluster, not per destination: when the vserver's services disagree on
    /// <c>-svrTimeout</c> the shortest applies (0 means no timeout, as on NetScaler).
    /// </summary>
    private static long ServerTimeoutSeconds(IEnumerable<Runtime.ServiceRuntime> members)
    {
        var explicitTimeouts = members.Select(m => m.Settings.ServerTimeout).Where(t => t is > 0).Select(t => t!.Value).ToList();
        if (explicitTimeouts.Count > 0)
        {
            return explicitTimeouts.Min();
        }

        return members.Any(m => m.Settings.ServerTimeout == 0) ? 24L * 3600 * 365 : DefaultServerTimeoutSeconds;
    }

    // The token source lives as long as the snapshot and holds no timer: nothing to dispose.
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "no timer, no native handle")]
    private sealed class Snapshot(IReadOnlyList<RouteConfig> routes, IReadOnlyList<ClusterConfig> clusters) : IProxyConfig
    {
        private readonly CancellationTokenSource _changed = new();

        public IReadOnlyList<RouteConfig> Routes { get; } = routes;

        public IReadOnlyList<ClusterConfig> Clusters { get; } = clusters;

        public IChangeToken ChangeToken => new CancellationChangeToken(_changed.Token);

        public void Signal() => _changed.Cancel();
    }
}

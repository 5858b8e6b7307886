using System.Collections.Frozen;
using System.Collections.Immutable;
using Portico.Appliance;
using Portico.LoadBalancing;

namespace Portico.Configuration;

/// <summary>
/// The whole configuration at one instant. Immutable: a change builds a new snapshot that is swapped
/// in atomically, so the data paths read a consistent picture once per connection or request.
/// A concern that adds objects adds a property here and one line to <see cref="ConfigBuilder.Build"/>.
/// </summary>
public sealed class RunningConfig
{
    public static readonly RunningConfig Empty = new();

    /// <summary>Increases by one with every applied change.</summary>
    public long Generation { get; init; }

    /// <summary>In creation order, as <c>save config</c> writes them.</summary>
    public ImmutableArray<Server> Servers { get; init; } = [];

    public ImmutableArray<Service> Services { get; init; } = [];

    public ImmutableArray<ServiceGroup> ServiceGroups { get; init; } = [];

    public ImmutableArray<LbVserver> Vservers { get; init; } = [];

    public ImmutableArray<NsIp> Ips { get; init; } = [];

    public NsParam Param { get; init; } = NsParam.Default;

    /// <summary>Monitors the operator added (built-ins live in <see cref="Health.BuiltInMonitors"/>).</summary>
    public ImmutableArray<Health.LbMonitor> Monitors { get; init; } = [];

    /// <summary>Monitors bound to services and service groups, in binding order.</summary>
    public ImmutableArray<Health.MonitorBinding> MonitorBindings { get; init; } = [];

    /// <summary>Certificates and keys (<c>add ssl certKey</c>).</summary>
    public ImmutableArray<Http.Tls.SslCertKey> CertKeys { get; init; } = [];

    /// <summary>Certificates bound to SSL vservers (<c>bind ssl vserver</c>), in binding order.</summary>
    public ImmutableArray<Http.Tls.SslCertBinding> SslBindings { get; init; } = [];

    /// <summary>Enabled <c>ns mode</c> words, upper case (<c>USIP</c>, <c>FR</c>...).</summary>
    public ImmutableHashSet<string> Modes { get; init; } = [];

    /// <summary>History log sampling, rotation and retention (<c>set ns counters</c>).</summary>
    public Counters.History.HistorySettings Counters { get; init; } = Portico.Counters.History.HistorySettings.Default;

    /// <summary>The automatic CPU profile trigger (<c>set ns profiler</c>).</summary>
    public Profiling.ProfilerSettings Profiler { get; init; } = Profiling.ProfilerSettings.Default;

    /// <summary>Valid NetScaler lines Portico does not implement, kept so they are never lost.</summary>
    public ImmutableArray<UnsupportedLine> Unsupported { get; init; } = [];

    /// <summary>Simple ACLs (<c>add ns simpleacl</c>, <c>simpleacl6</c>), those with a TTL included.</summary>
    public Acl.SimpleAclSet SimpleAcls { get; init; } = Acl.SimpleAclSet.Empty;

    /// <summary>Extended ACLs (<c>add ns acl</c>, <c>acl6</c>): configured and applied.</summary>
    public Acl.ExtendedAcls ExtendedAcls { get; init; } = Acl.ExtendedAcls.Empty;

    /// <summary>Net profiles (<c>add ns netProfile</c>): PROXY protocol and source IP, in creation order.</summary>
    public ImmutableArray<ClientIp.NetProfile> NetProfiles { get; init; } = [];

    /// <summary>The GeoIP databases (<c>set ns geoip</c>).</summary>
    public Geo.GeoIpSettings GeoIp { get; init; } = Geo.GeoIpSettings.None;

    /// <summary>
    /// What a reload builds on: nothing of the config, only runtime state no file holds (simple ACLs with
    /// a TTL, which a re-read of the config file must not lift).
    /// </summary>
    public RunningConfig ForReload() => new() { SimpleAcls = SimpleAcls.TemporaryOnly() };

    public FrozenDictionary<string, Server> ServersByName => field ??= Servers.ToFrozenDictionary(s => s.Name, StringComparer.Ordinal);

    public FrozenDictionary<string, Service> ServicesByName => field ??= Services.ToFrozenDictionary(s => s.Name, StringComparer.Ordinal);

    public FrozenDictionary<string, ServiceGroup> ServiceGroupsByName => field ??= ServiceGroups.ToFrozenDictionary(s => s.Name, StringComparer.Ordinal);

    public FrozenDictionary<string, Health.LbMonitor> MonitorsByName => field ??= Monitors.ToFrozenDictionary(m => m.Name, StringComparer.Ordinal);

    public FrozenDictionary<string, ClientIp.NetProfile> NetProfilesByName => field ??= NetProfiles.ToFrozenDictionary(p => p.Name, StringComparer.Ordinal);

    /// <summary>The net profile a vserver or backend names, or null for none.</summary>
    public ClientIp.NetProfile? NetProfileOf(string? name) => name is not null && NetProfilesByName.TryGetValue(name, out var p) ? p : null;

    public FrozenDictionary<string, LbVserver> VserversByName => field ??= Vservers.ToFrozenDictionary(s => s.Name, StringComparer.Ordinal);
}

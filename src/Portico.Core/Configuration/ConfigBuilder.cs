using System.Collections.Immutable;
using Portico.Appliance;
using Portico.CommandLanguage;
using Portico.LoadBalancing;

namespace Portico.Configuration;

/// <summary>
/// A mutable copy of the running config that one batch of commands edits. Nothing here is visible to
/// the data paths until the whole batch has been validated and <see cref="Build"/> produced a new
/// snapshot; a batch with any error is simply thrown away.
/// </summary>
public sealed class ConfigBuilder
{
    private readonly List<(ParsedCommand Command, string Parameter, Func<ConfigBuilder, string?> Check)> _deferred = [];

    /// <param name="from">The snapshot to edit (empty for a whole-file reload).</param>
    /// <param name="source">Where the batch comes from.</param>
    /// <param name="generation">The generation to build on when <paramref name="from"/> is not the running one.</param>
    public ConfigBuilder(RunningConfig from, string source, long? generation = null)
    {
        Generation = generation ?? from.Generation;
        Source = source;
        Servers = Ordered(from.Servers, s => s.Name);
        Services = Ordered(from.Services, s => s.Name);
        ServiceGroups = Ordered(from.ServiceGroups, s => s.Name);
        Vservers = Ordered(from.Vservers, s => s.Name);
        Ips = [.. from.Ips];
        Param = from.Param;
        Monitors = Ordered(from.Monitors, m => m.Name);
        MonitorBindings = [.. from.MonitorBindings];
        Modes = from.Modes.ToHashSet(StringComparer.OrdinalIgnoreCase);
        Unsupported = [.. from.Unsupported];
        CertKeys = Ordered(from.CertKeys, c => c.Name);
        SslBindings = [.. from.SslBindings];
        Counters = from.Counters;
        Profiler = from.Profiler;
        SimpleAcls = from.SimpleAcls;
        ExtendedAcls = from.ExtendedAcls;
        GeoIp = from.GeoIp;
        NetProfiles = Ordered(from.NetProfiles, p => p.Name);
    }

    public long Generation { get; }

    /// <summary>Where the batch comes from (a file name, <c>cli</c>), for kept lines.</summary>
    public string Source { get; }

    public OrderedDictionary<string, Server> Servers { get; }

    public OrderedDictionary<string, Service> Services { get; }

    public OrderedDictionary<string, ServiceGroup> ServiceGroups { get; }

    public OrderedDictionary<string, LbVserver> Vservers { get; }

    public List<NsIp> Ips { get; }

    public NsParam Param { get; set; }

    public OrderedDictionary<string, Health.LbMonitor> Monitors { get; }

    public List<Health.MonitorBinding> MonitorBindings { get; }

    public HashSet<string> Modes { get; }

    public List<UnsupportedLine> Unsupported { get; }

    public OrderedDictionary<string, Http.Tls.SslCertKey> CertKeys { get; }

    public List<Http.Tls.SslCertBinding> SslBindings { get; }

    public Counters.History.HistorySettings Counters { get; set; }

    public Profiling.ProfilerSettings Profiler { get; set; }
    /// <summary>Simple ACLs: a persistent set, so taking it over costs nothing whatever its size.</summary>
    public Acl.SimpleAclSet SimpleAcls { get; set; }

    public Acl.ExtendedAcls ExtendedAcls { get; set; }

    public Geo.GeoIpSettings GeoIp { get; set; }

    public OrderedDictionary<string, ClientIp.NetProfile> NetProfiles { get; }

    /// <summary>
    /// Folders a relative certificate or key path is looked up in when it is not found as written: an
    /// import's <c>--cert-dir</c> (NetScaler's <c>/nsconfig/ssl/</c>), then the config file's own folder.
    /// </summary>
    public IReadOnlyList<string> CertificateDirectories { get; init; } = [];

    /// <summary>Notes on applied lines, shown to the operator.</summary>
    public List<ConfigNote> Notes { get; } = [];

    public void Note(ParsedCommand command, string message) => Notes.Add(new ConfigNote(command.Line, message));

    /// <summary>
    /// Checks a reference once the whole batch has been read, so a batch may bind a member before the
    /// line that adds it (real ns.conf files do). The check returns an error message or null.
    /// </summary>
    public void Defer(ParsedCommand command, string parameter, Func<ConfigBuilder, string?> check) =>
        _deferred.Add((command, parameter, check));

    internal IEnumerable<ConfigErrorException> RunDeferredChecks()
    {
        foreach (var (command, parameter, check) in _deferred)
        {
            var message = check(this);
            if (message is not null)
            {
                yield return command.Error(parameter, message);
            }
        }
    }

    /// <summary>The named entity of any kind that a vserver binding can point at.</summary>
    public bool IsBindable(string name) => Services.ContainsKey(name) || ServiceGroups.ContainsKey(name);

    public RunningConfig Build() => new()
    {
        Generation = Generation + 1,
        Servers = [.. Servers.Values],
        Services = [.. Services.Values],
        ServiceGroups = [.. ServiceGroups.Values],
        Vservers = [.. Vservers.Values],
        Ips = [.. Ips],
        Param = Param,
        Monitors = [.. Monitors.Values],
        MonitorBindings = [.. MonitorBindings],
        Modes = Modes.Select(m => m.ToUpperInvariant()).ToImmutableHashSet(),
        Unsupported = [.. Unsupported],
        CertKeys = [.. CertKeys.Values],
        Counters = Counters,
        Profiler = Profiler,
        SimpleAcls = SimpleAcls,
        ExtendedAcls = ExtendedAcls,
        GeoIp = GeoIp,
        NetProfiles = [.. NetProfiles.Values],

        // A removed vserver takes its certificate bindings with it, as NetScaler's rm lb vserver does.
        SslBindings = [.. SslBindings.Where(b => Vservers.ContainsKey(b.Vserver))],
    };

    private static OrderedDictionary<string, T> Ordered<T>(IEnumerable<T> items, Func<T, string> key)
    {
        var d = new OrderedDictionary<string, T>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            d.Add(key(item), item);
        }

        return d;
    }
}

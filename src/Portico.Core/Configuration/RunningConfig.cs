using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Collections.Immutable;
using Portico.Appliance;
using Portico.LoadBalancing;

namespace Portico.Configuration;

/// <summary>
/// The whole configuration at one instant. Immutable: a change builds a new snapshot that is swapped
/// in atomically, so the data paths read a consistent picture once per connection or request.
/// The load-balancing and appliance objects are typed here; every other concern keeps its objects in a
/// section of its own (<see cref="ConfigSection{TValue, TWork}"/>, read with <see cref="Get{TValue, TWork}"/>
/// through the concern's extension members), so adding a kind of object edits only its concern's folder.
/// </summary>
public sealed class RunningConfig
{
    public static readonly RunningConfig Empty = new();

    private ConcurrentDictionary<object, object>? _views;

    public RunningConfig()
    {
    }

    /// <summary>A copy of <paramref name="from"/>, to change a few typed objects in an initializer.</summary>
    public RunningConfig(RunningConfig from)
    {
        Generation = from.Generation;
        Servers = from.Servers;
        Services = from.Services;
        ServiceGroups = from.ServiceGroups;
        Vservers = from.Vservers;
        Ips = from.Ips;
        Param = from.Param;
        Modes = from.Modes;
        Unsupported = from.Unsupported;
        Sections = from.Sections;
        Values = from.Values;
    }

    /// <summary>Increases by one with every applied change.</summary>
    public long Generation { get; init; }

    /// <summary>In creation order, as <c>save config</c> writes them.</summary>
    public ImmutableArray<Server> Servers { get; init; } = [];

    public ImmutableArray<Service> Services { get; init; } = [];

    public ImmutableArray<ServiceGroup> ServiceGroups { get; init; } = [];

    public ImmutableArray<LbVserver> Vservers { get; init; } = [];

    public ImmutableArray<NsIp> Ips { get; init; } = [];

    public NsParam Param { get; init; } = NsParam.Default;

    /// <summary>Enabled <c>ns mode</c> words, upper case (<c>USIP</c>, <c>FR</c>...).</summary>
    public ImmutableHashSet<string> Modes { get; init; } = [];

    /// <summary>Valid NetScaler lines Portico does not implement, kept so they are never lost.</summary>
    public ImmutableArray<UnsupportedLine> Unsupported { get; init; } = [];

    /// <summary>The sections and <c>save config</c> lines registered at composition.</summary>
    public ConfigSections Sections { get; init; } = ConfigSections.None;

    /// <summary>The value of every section a batch has set; a section not in here has its empty value.</summary>
    internal FrozenDictionary<IConfigSection, object> Values { get; init; } = FrozenDictionary<IConfigSection, object>.Empty;

    /// <summary>The value of one section.</summary>
    public TValue Get<TValue, TWork>(ConfigSection<TValue, TWork> section) where TValue : notnull where TWork : notnull =>
        Values.TryGetValue(section, out var value) ? (TValue)value : section.Empty;

    /// <summary>A value computed from this snapshot on first use and kept with it.</summary>
    public T View<T>(ConfigView<T> view) where T : class =>
        (T)LazyInitializer.EnsureInitialized(ref _views).GetOrAdd(view, static (v, c) => ((ConfigView<T>)v).Compute(c), this);

    /// <summary>
    /// What a reload builds on: nothing of the config, only runtime state no file holds (each section's
    /// reload rule: simple ACLs with a TTL, which a re-read of the config file must not lift).
    /// </summary>
    public RunningConfig ForReload()
    {
        var kept = new Dictionary<IConfigSection, object>();
        foreach (var (section, value) in Values)
        {
            if (section.Reload(value) is { } survivor)
            {
                kept.Add(section, survivor);
            }
        }

        return new() { Sections = Sections, Values = kept.ToFrozenDictionary() };
    }

    public FrozenDictionary<string, Server> ServersByName => field ??= Servers.ToFrozenDictionary(s => s.Name, StringComparer.Ordinal);

    public FrozenDictionary<string, Service> ServicesByName => field ??= Services.ToFrozenDictionary(s => s.Name, StringComparer.Ordinal);

    public FrozenDictionary<string, ServiceGroup> ServiceGroupsByName => field ??= ServiceGroups.ToFrozenDictionary(s => s.Name, StringComparer.Ordinal);

    public FrozenDictionary<string, LbVserver> VserversByName => field ??= Vservers.ToFrozenDictionary(s => s.Name, StringComparer.Ordinal);
}

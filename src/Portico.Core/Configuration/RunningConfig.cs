using System.Collections.Frozen;
using System.Collections.Immutable;
using Portico.Model;

namespace Portico.Configuration;

/// <summary>
/// The whole configuration at one instant. Immutable: a change builds a new snapshot that is swapped
/// in atomically, so the data paths read a consistent picture once per connection or request.
/// </summary>
public sealed class RunningConfig
{
    public static readonly RunningConfig Empty = new(0, [], [], [], [], [], NsParam.Default, [], []);

    public RunningConfig(long generation,
        ImmutableArray<Server> servers, ImmutableArray<Service> services, ImmutableArray<ServiceGroup> serviceGroups,
        ImmutableArray<LbVserver> vservers, ImmutableArray<NsIp> ips, NsParam param, ImmutableHashSet<string> modes,
        ImmutableArray<UnsupportedLine> unsupported)
    {
        Generation = generation;
        Servers = servers;
        Services = services;
        ServiceGroups = serviceGroups;
        Vservers = vservers;
        Ips = ips;
        Param = param;
        Modes = modes;
        Unsupported = unsupported;
        ServersByName = servers.ToFrozenDictionary(s => s.Name, StringComparer.Ordinal);
        ServicesByName = services.ToFrozenDictionary(s => s.Name, StringComparer.Ordinal);
        ServiceGroupsByName = serviceGroups.ToFrozenDictionary(s => s.Name, StringComparer.Ordinal);
        VserversByName = vservers.ToFrozenDictionary(s => s.Name, StringComparer.Ordinal);
    }

    /// <summary>Increases by one with every applied change.</summary>
    public long Generation { get; }

    /// <summary>In creation order, as <c>save config</c> writes them.</summary>
    public ImmutableArray<Server> Servers { get; }

    public ImmutableArray<Service> Services { get; }

    public ImmutableArray<ServiceGroup> ServiceGroups { get; }

    public ImmutableArray<LbVserver> Vservers { get; }

    public ImmutableArray<NsIp> Ips { get; }

    public NsParam Param { get; }

    /// <summary>Enabled <c>ns mode</c> words, upper case (<c>USIP</c>, <c>FR</c>...).</summary>
    public ImmutableHashSet<string> Modes { get; }

    /// <summary>Valid NetScaler lines Portico does not implement, kept so they are never lost.</summary>
    public ImmutableArray<UnsupportedLine> Unsupported { get; }

    public FrozenDictionary<string, Server> ServersByName { get; }

    public FrozenDictionary<string, Service> ServicesByName { get; }

    public FrozenDictionary<string, ServiceGroup> ServiceGroupsByName { get; }

    public FrozenDictionary<string, LbVserver> VserversByName { get; }
}

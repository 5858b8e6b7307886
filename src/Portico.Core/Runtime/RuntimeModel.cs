using System.Collections.Frozen;
using Portico.Configuration;

namespace Portico.Runtime;

/// <summary>The running config compiled for the data paths; swapped as a whole with the config.</summary>
public sealed class RuntimeModel(RunningConfig config, FrozenDictionary<string, VserverRuntime> vservers, FrozenDictionary<string, ServiceRuntime> services)
{
    public static readonly RuntimeModel Empty = new(RunningConfig.Empty,
        FrozenDictionary<string, VserverRuntime>.Empty, FrozenDictionary<string, ServiceRuntime>.Empty);

    public RunningConfig Config { get; } = config;

    public FrozenDictionary<string, VserverRuntime> Vservers { get; } = vservers;

    /// <summary>Every member by its display name (<c>svc1</c>, <c>grp(srv:80)</c>).</summary>
    public FrozenDictionary<string, ServiceRuntime> Services { get; } = services;
}

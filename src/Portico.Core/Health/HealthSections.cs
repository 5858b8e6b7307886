using System.Collections.Frozen;
using System.Collections.Immutable;
using Portico.Configuration;

namespace Portico.Health;

/// <summary>
/// Health's sections of the config: the operator's monitors and their bindings to services and service
/// groups. Registered, with their <c>save config</c> lines, by the monitor command modules.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1708", Justification = "The analyzer sees the two extension blocks' generated names; the members differ by receiver, not by case.")]
public static class HealthSections
{
    /// <summary>Monitors the operator added (built-ins live in <see cref="BuiltInMonitors"/>), in creation order.</summary>
    public static readonly ConfigSection<ImmutableArray<LbMonitor>, OrderedDictionary<string, LbMonitor>> MonitorSection =
        ConfigSection.Named<LbMonitor>("lb monitor", m => m.Name);

    /// <summary>Monitors bound to services and service groups, in binding order.</summary>
    public static readonly ConfigSection<ImmutableArray<MonitorBinding>, List<MonitorBinding>> BindingSection =
        ConfigSection.Ordered<MonitorBinding>("lb monitor bindings");

    private static readonly ConfigView<FrozenDictionary<string, LbMonitor>> ByName =
        new(c => c.Get(MonitorSection).ToFrozenDictionary(m => m.Name, StringComparer.Ordinal));

    extension(RunningConfig config)
    {
        /// <summary>Monitors the operator added (built-ins live in <see cref="BuiltInMonitors"/>).</summary>
        public ImmutableArray<LbMonitor> Monitors => config.Get(MonitorSection);

        /// <summary>Monitors bound to services and service groups, in binding order.</summary>
        public ImmutableArray<MonitorBinding> MonitorBindings => config.Get(BindingSection);

        public FrozenDictionary<string, LbMonitor> MonitorsByName => config.View(ByName);
    }

    extension(ConfigBuilder batch)
    {
        public OrderedDictionary<string, LbMonitor> Monitors => batch.Edit(MonitorSection);

        public List<MonitorBinding> MonitorBindings => batch.Edit(BindingSection);
    }
}

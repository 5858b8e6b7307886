using Portico.CommandLanguage;
using Portico.Configuration;

namespace Portico.Health.Commands;

/// <summary>
/// Binding monitors to services and groups, in NetScaler's three spellings:
/// <c>bind service s -monitorName m</c>, <c>bind serviceGroup g -monitorName m</c> (in the group's commands)
/// and <c>bind lb monitor m s</c>. A bound monitor replaces the default <c>tcp-default</c>; with several,
/// all must pass.
/// </summary>
internal sealed class MonitorBindingCommands : ICommandModule
{
    /// <summary>Binding options Portico keeps without acting on them.</summary>
    public static readonly string[] KeptBindingOptions = ["weight", "passive"];

    /// <summary>Valid NetScaler bindings of a monitor to something else than a service: certificates, metrics.</summary>
    private static readonly string[] MonitorOnlyBindingOptions = ["certkeyName", "CA", "crlCheck", "ocspCheck", "metric", "metricThreshold", "metricWeight"];

    public void Register(CommandRegistry r)
    {
        r.Sections.Add(HealthSections.BindingSection, ConfigRank.Bindings + 20, MonitorWriter.Bindings);

        r.Mutation("bind", "service", "Binds a monitor to a service")
            .Positional("name", Values.Name, "the service's name")
            .Option("monitorName", Values.Name, "the monitor to bind")
            .Option("monState", Values.EnabledDisabled, "DISABLED keeps the binding without probing")
            .Keeps([.. KeptBindingOptions, "policyName", "priority", "gotoPriorityExpression"])
            .Applies((b, c) => Bind(b, c, c.Get<string>("name"), group: false));

        r.Mutation("unbind", "service", "Unbinds a monitor from a service")
            .Positional("name", Values.Name, "the service's name")
            .Option("monitorName", Values.Name, "the monitor to unbind")
            .Keeps("policyName")
            .Applies((b, c) => Unbind(b, c, c.Get<string>("name"), group: false));

        r.Mutation("bind", "lb monitor", "Binds a monitor to a service or service group")
            .Positional("monitorName", Values.Name, "the monitor")
            .Positional("serviceName", Values.Name, "a service or service group", required: false)
            .Option("state", Values.EnabledDisabled, "DISABLED keeps the binding without probing")
            .Keeps(KeptBindingOptions)
            .Keeps(MonitorOnlyBindingOptions)
            .Applies((b, c) => BindMonitor(b, c));

        r.Mutation("unbind", "lb monitor", "Unbinds a monitor from a service or service group")
            .Positional("monitorName", Values.Name, "the monitor")
            .Positional("serviceName", Values.Name, "a service or service group")
            .Applies((b, c) =>
            {
                var target = c.Get<string>("serviceName");
                Remove(b, c, target, c.Get<string>("monitorName"), "serviceName");
            });
    }

    /// <summary><c>bind service|serviceGroup target -monitorName m</c>.</summary>
    internal static void Bind(ConfigBuilder b, ParsedCommand c, string target, bool group)
    {
        if (!c.Has("monitorName"))
        {
            throw c.Kept.Any(k => k.Name.Equals("policyName", StringComparison.OrdinalIgnoreCase))
                ? new UnsupportedCommandException("policy bindings are not supported by Portico")
                : c.Error($"expects -monitorName: bind {(group ? "serviceGroup" : "service")} {target} -monitorName <monitor>");
        }

        RequireTarget(b, c, target, group ? "serviceGroupName" : "name", group);
        Add(b, c, target, c.Get<string>("monitorName"), c.Get("monState", true), "monitorName");
    }

    /// <summary><c>unbind service|serviceGroup target -monitorName m</c>.</summary>
    internal static void Unbind(ConfigBuilder b, ParsedCommand c, string target, bool group)
    {
        if (!c.Has("monitorName"))
        {
            throw c.Kept.Any(k => k.Name.Equals("policyName", StringComparison.OrdinalIgnoreCase))
                ? new UnsupportedCommandException("policy bindings are not supported by Portico")
                : c.Error($"expects -monitorName: unbind {(group ? "serviceGroup" : "service")} {target} -monitorName <monitor>");
        }

        RequireTarget(b, c, target, group ? "serviceGroupName" : "name", group);
        Remove(b, c, target, c.Get<string>("monitorName"), "monitorName");
    }

    private static void BindMonitor(ConfigBuilder b, ParsedCommand c)
    {
        if (!c.Has("serviceName"))
        {
            throw c.Kept.Any(k => MonitorOnlyBindingOptions.Contains(k.Name, StringComparer.OrdinalIgnoreCase))
                ? new UnsupportedCommandException("certificate and metric bindings of monitors are not supported by Portico")
                : c.Error("expects a service: bind lb monitor <monitor> <service|serviceGroup>");
        }

        var target = c.Get<string>("serviceName");
        if (!b.Services.ContainsKey(target) && !b.ServiceGroups.ContainsKey(target))
        {
            // The service may come later in the batch, as in real ns.conf files.
            b.Defer(c, "serviceName", x => x.Services.ContainsKey(target) || x.ServiceGroups.ContainsKey(target)
                ? null
                : $"no service or service group named '{target}'");
        }

        Add(b, c, target, c.Get<string>("monitorName"), c.Get("state", true), "monitorName");
    }

    private static void RequireTarget(ConfigBuilder b, ParsedCommand c, string target, string parameter, bool group)
    {
        var exists = group ? b.ServiceGroups.ContainsKey(target) : b.Services.ContainsKey(target);
        if (!exists)
        {
            b.Defer(c, parameter, x => (group ? x.ServiceGroups.ContainsKey(target) : x.Services.ContainsKey(target))
                ? null
                : $"no {(group ? "service group" : "service")} named '{target}'");
        }
    }

    private static void Add(ConfigBuilder b, ParsedCommand c, string target, string monitor, bool enabled, string parameter)
    {
        if (b.MonitorBindings.Any(x => x.Target == target && x.Monitor == monitor))
        {
            throw c.Error(parameter, $"'{monitor}' is already bound to '{target}'");
        }

        b.MonitorBindings.Add(new MonitorBinding(target, monitor, enabled, [.. c.Kept.Where(k => KeptBindingOptions.Contains(k.Name, StringComparer.OrdinalIgnoreCase) || k.Name.Equals(SavedConfigAttributes.DeviceNumber, StringComparison.OrdinalIgnoreCase))]));
        b.Defer(c, parameter, x => x.MonitorBindings.Any(y => y.Target == target && y.Monitor == monitor) ? MonitorProblem(x, monitor) : null);
    }

    private static void Remove(ConfigBuilder b, ParsedCommand c, string target, string monitor, string parameter)
    {
        var binding = b.MonitorBindings.FirstOrDefault(x => x.Target == target && x.Monitor == monitor)
            ?? throw c.Error(parameter, $"'{monitor}' is not bound to '{target}'");
        b.MonitorBindings.Remove(binding);
    }

    private static string? MonitorProblem(ConfigBuilder b, string monitor)
    {
        var m = b.Monitors.TryGetValue(monitor, out var own) ? own : BuiltInMonitors.All.GetValueOrDefault(monitor);
        if (m is null)
        {
            return $"no lb monitor named '{monitor}'";
        }

        return m.Type == MonitorType.Ping && !IcmpPermission.Allowed ? IcmpPermission.Explanation : null;
    }

    /// <summary>Drops every monitor binding of a removed service or group, as NetScaler's <c>rm</c> does.</summary>
    internal static void RemoveBindingsOf(ConfigBuilder b, string target) => b.MonitorBindings.RemoveAll(x => x.Target == target);
}

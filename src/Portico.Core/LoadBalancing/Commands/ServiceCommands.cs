using Portico.CommandLanguage;
using Portico.Configuration;

namespace Portico.LoadBalancing.Commands;

/// <summary><c>add|set|unset|rm|enable|disable|show|stat service</c>.</summary>
internal sealed class ServiceCommands : ICommandModule
{
    public void Register(CommandRegistry r)
    {
        r.Sections.AddLines("service", ConfigRank.Objects + 10, LoadBalancingLines.Services);

        BackendOptions.Declare(r.Mutation("add", "service", "Adds a backend endpoint: a server, a protocol and a port")
            .Positional("name", Values.Name, "the service's name")
            .Positional("serverName", Values.Name, "a server's name or an IP address")
            .Positional("serviceType", ServiceTypes.Parser, "the protocol")
            .Positional("port", Values.Port, "the server's port")
            .Option("state", Values.EnabledDisabled, "ENABLED or DISABLED")
            .Option("comment", Values.Text, "free text"))
            .Applies(Add);

        BackendOptions.Declare(r.Mutation("set", "service", "Changes a service's settings")
            .Positional("name", Values.Name, "the service's name")
            .Option("comment", Values.Text, "free text"))
            .Applies((b, c) =>
            {
                var s = Require(b, c);
                b.Services[s.Name] = s with
                {
                    Settings = BackendOptions.Apply(b, s.Settings, c, $"service '{s.Name}'", s.Type),
                    Comment = c.MaybeRef<string>("comment") ?? s.Comment,
                    Kept = KeptOptions.Merge(s.Kept, c.Kept),
                };
            });

        BackendOptions.DeclareUnset(r.Mutation("unset", "service", "Resets a service's settings to their defaults")
            .Positional("name", Values.Name, "the service's name")
            .Option("comment", Values.Flag, "remove the comment"))
            .Applies((b, c) =>
            {
                var s = Require(b, c);
                b.Services[s.Name] = s with
                {
                    Settings = BackendOptions.Unset(s.Settings, c),
                    Comment = c.Has("comment") ? null : s.Comment,
                    Kept = KeptOptions.Remove(s.Kept, c.Kept),
                };
            });

        r.Mutation("rm", "service", "Removes a service and its bindings")
            .Positional("name", Values.Name, "the service's name")
            .Applies((b, c) => RemoveService(b, Require(b, c).Name));

        r.Mutation("enable", "service", "Puts a service back in service")
            .Positional("name", Values.Name, "the service's name")
            .Applies((b, c) => SetState(b, c, true));

        r.Mutation("disable", "service", "Takes a service out of service: no new connections, established ones finish")
            .Positional("name", Values.Name, "the service's name")
            .Positional("delay", Values.Int(0, int.MaxValue), "seconds (accepted for compatibility)", required: false)
            .Keeps("graceFul")
            .Applies((b, c) => SetState(b, c, false));

        r.Query("show", "service", "Lists services with their state")
            .Positional("name", Values.Name, "a service's name", required: false)
            .Runs<ServiceQueries>(q => q.Show);

        r.Query("stat", "service", "Shows services' live counters")
            .Positional("name", Values.Name, "a service's name", required: false)
            .Runs<StatQueries>(q => q.Services);
    }

    private static void Add(ConfigBuilder b, ParsedCommand c)
    {
        var name = c.Get<string>("name");
        if (b.Services.ContainsKey(name) || b.ServiceGroups.ContainsKey(name))
        {
            throw c.Error("name", $"a service or service group named '{name}' already exists");
        }

        var server = ServerCommands.ResolveOrCreate(b, c, "serverName");
        var type = c.Get<ServiceType>("serviceType");
        var settings = BackendOptions.Apply(b, BackendSettings.Default, c, $"service '{name}'", type);
        b.Services.Add(name, new Service(name, server, type, c.Get<int>("port"), settings,
            c.Get("state", true), c.MaybeRef<string>("comment"), c.Kept));
    }

    private static void SetState(ConfigBuilder b, ParsedCommand c, bool enabled)
    {
        var s = Require(b, c);
        b.Services[s.Name] = s with { Enabled = enabled };
    }

    /// <summary>Removes a service and every vserver binding to it, as NetScaler's <c>rm service</c> does.</summary>
    internal static void RemoveService(ConfigBuilder b, string name)
    {
        b.Services.Remove(name);
        LbVserverCommands.RemoveBindingsTo(b, name);
        Health.Commands.MonitorBindingCommands.RemoveBindingsOf(b, name);
    }

    private static Service Require(ConfigBuilder b, ParsedCommand c)
    {
        var name = c.Get<string>("name");
        if (b.Services.TryGetValue(name, out var s))
        {
            return s;
        }

        // ns.conf dumps tune NetScaler's own management services (nshttpd-gui-127.0.0.1-80...).
        throw Configuration.NetScalerBuiltIns.IsInternalService(name)
            ? new UnsupportedCommandException($"'{name}' is a NetScaler built-in service, which Portico does not have")
            : c.Error("name", $"no service named '{name}'");
    }
}

using System.Collections.Immutable;
using Portico.CommandLanguage;
using Portico.Configuration;

namespace Portico.LoadBalancing.Commands;

/// <summary><c>add|set|unset|rm|bind|unbind|enable|disable|show serviceGroup</c>.</summary>
internal sealed class ServiceGroupCommands : ICommandModule
{
    private static readonly ValueParser Weight = Values.Int(1, 100);

    public void Register(CommandRegistry r)
    {
        r.Sections.AddLines("serviceGroup", ConfigRank.Objects + 20, LoadBalancingLines.ServiceGroups);
        r.Sections.AddLines("serviceGroup members", ConfigRank.Bindings + 10, LoadBalancingLines.GroupMembers);

        BackendOptions.Declare(r.Mutation("add", "serviceGroup", "Adds a pool of members sharing a protocol")
            .Positional("serviceGroupName", Values.Name, "the group's name")
            .Positional("serviceType", ServiceTypes.Parser, "the protocol")
            .Option("state", Values.EnabledDisabled, "ENABLED or DISABLED")
            .Option("comment", Values.Text, "free text"))
            .Applies(Add);

        BackendOptions.Declare(r.Mutation("set", "serviceGroup", "Changes a group's settings, or a member's weight")
            .Positional("serviceGroupName", Values.Name, "the group's name")
            .Positional("serverName", Values.Name, "a member's server", required: false)
            .Positional("port", Values.Port, "a member's port", required: false)
            .Option("weight", Weight, "the member's weight, 1..100")
            .Option("comment", Values.Text, "free text"))
            .Applies(Set);

        BackendOptions.DeclareUnset(r.Mutation("unset", "serviceGroup", "Resets a group's settings to their defaults")
            .Positional("serviceGroupName", Values.Name, "the group's name")
            .Option("comment", Values.Flag, "remove the comment"))
            .Applies((b, c) =>
            {
                var g = Require(b, c);
                b.ServiceGroups[g.Name] = g with
                {
                    Settings = BackendOptions.Unset(g.Settings, c),
                    Comment = c.Has("comment") ? null : g.Comment,
                    Kept = KeptOptions.Remove(g.Kept, c.Kept),
                };
            });

        r.Mutation("rm", "serviceGroup", "Removes a service group and its bindings")
            .Positional("serviceGroupName", Values.Name, "the group's name")
            .Applies((b, c) =>
            {
                var g = Require(b, c);
                b.ServiceGroups.Remove(g.Name);
                LbVserverCommands.RemoveBindingsTo(b, g.Name);
                Health.Commands.MonitorBindingCommands.RemoveBindingsOf(b, g.Name);
            });

        r.Mutation("bind", "serviceGroup", "Adds a member (server and port) to a group")
            .Positional("serviceGroupName", Values.Name, "the group's name")
            .Positional("serverName", Values.Name, "a server's name or an IP address", required: false)
            .Positional("port", Values.Port, "the member's port", required: false)
            .Option("weight", Weight, "the member's weight, 1..100 (default 1)")
            .Option("state", Values.EnabledDisabled, "ENABLED or DISABLED")
            .Option("monitorName", Values.Name, "binds a health monitor to every member: bind serviceGroup <group> -monitorName <m>")
            .Option("monState", Values.EnabledDisabled, "with -monitorName: DISABLED keeps the binding without probing")
            .Keeps("customServerID", "serverID", "hashId", "passive", "order", "dbsTTL", "nameServer")
            .Applies(Bind);

        r.Mutation("unbind", "serviceGroup", "Removes a member from a group, or a monitor from it")
            .Positional("serviceGroupName", Values.Name, "the group's name")
            .Positional("serverName", Values.Name, "a member's server", required: false)
            .Positional("port", Values.Port, "the member's port", required: false)
            .Option("monitorName", Values.Name, "unbinds a health monitor from the group")
            .Applies((b, c) =>
            {
                var g = Require(b, c);
                if (c.Has("monitorName") && !c.Has("serverName"))
                {
                    Health.Commands.MonitorBindingCommands.Unbind(b, c, g.Name, group: true);
                    return;
                }

                if (!c.Has("port"))
                {
                    throw c.Error("expects <serverName> <port> or -monitorName: unbind serviceGroup <group> <server> <port>");
                }

                var m = RequireMember(b, g, c);
                b.ServiceGroups[g.Name] = g with { Members = g.Members.Remove(m) };
            });

        r.Mutation("enable", "serviceGroup", "Puts a group, or one member, back in service")
            .Positional("serviceGroupName", Values.Name, "the group's name")
            .Positional("serverName", Values.Name, "a member's server", required: false)
            .Positional("port", Values.Port, "the member's port", required: false)
            .Applies((b, c) => SetState(b, c, true));

        r.Mutation("disable", "serviceGroup", "Takes a group, or one member, out of service; established connections finish")
            .Positional("serviceGroupName", Values.Name, "the group's name")
            .Positional("serverName", Values.Name, "a member's server", required: false)
            .Positional("port", Values.Port, "the member's port", required: false)
            .Keeps("delay", "graceFul")
            .Applies((b, c) => SetState(b, c, false));

        r.Query("show", "serviceGroup", "Lists service groups and their members")
            .Positional("serviceGroupName", Values.Name, "a group's name", required: false)
            .Runs<ServiceQueries>(q => q.ShowGroups);
    }

    private static void Add(ConfigBuilder b, ParsedCommand c)
    {
        var name = c.Get<string>("serviceGroupName");
        if (b.Services.ContainsKey(name) || b.ServiceGroups.ContainsKey(name))
        {
            throw c.Error("serviceGroupName", $"a service or service group named '{name}' already exists");
        }

        var type = c.Get<ServiceType>("serviceType");
        b.ServiceGroups.Add(name, new ServiceGroup(name, type, BackendOptions.Apply(b, BackendSettings.Default, c, $"serviceGroup '{name}'", type),
            c.Get("state", true), [], c.MaybeRef<string>("comment"), c.Kept));
    }

    private static void Set(ConfigBuilder b, ParsedCommand c)
    {
        var g = Require(b, c);
        if (c.Has("serverName"))
        {
            var m = RequireMember(b, g, c);
            var updated = m with { Weight = c.Get("weight", m.Weight) };
            b.ServiceGroups[g.Name] = g with { Members = g.Members.Replace(m, updated) };
            return;
        }

        if (c.Has("weight"))
        {
            throw c.Error("weight", "-weight applies to a member: set serviceGroup <group> <server> <port> -weight <w>");
        }

        b.ServiceGroups[g.Name] = g with
        {
            Settings = BackendOptions.Apply(b, g.Settings, c, $"serviceGroup '{g.Name}'", g.Type),
            Comment = c.MaybeRef<string>("comment") ?? g.Comment,
            Kept = KeptOptions.Merge(g.Kept, c.Kept),
        };
    }

    private static void Bind(ConfigBuilder b, ParsedCommand c)
    {
        var g = Require(b, c);
        if (c.Has("monitorName"))
        {
            // "bind serviceGroup g -monitorName m" binds a monitor, which the Health concern owns.
            if (c.Has("serverName"))
            {
                throw c.Error("monitorName", "a monitor binds to the whole group; write it on its own line: bind serviceGroup <group> -monitorName <m>");
            }

            Health.Commands.MonitorBindingCommands.Bind(b, c, g.Name, group: true);
            return;
        }

        if (!c.Has("serverName"))
        {
            throw c.Error("expects <serverName> <port>: bind serviceGroup <group> <server|IP> <port> [-weight w], or -monitorName <m>");
        }

        if (!c.Has("port"))
        {
            throw c.Error("serverName", "expects a port after the server: bind serviceGroup <group> <server|IP> <port>");
        }

        var server = ServerCommands.ResolveOrCreate(b, c, "serverName");
        var port = c.Get<int>("port");
        if (g.Members.Any(m => m.ServerName == server && m.Port == port))
        {
            throw c.Error("serverName", $"{server}:{port} is already a member of '{g.Name}'");
        }

        var member = new ServiceGroupMember(server, port, c.Get("weight", 1L), c.Get("state", true), c.Kept);
        b.ServiceGroups[g.Name] = g with { Members = g.Members.Add(member) };
    }

    private static void SetState(ConfigBuilder b, ParsedCommand c, bool enabled)
    {
        var g = Require(b, c);
        if (c.Has("serverName"))
        {
            var m = RequireMember(b, g, c);
            b.ServiceGroups[g.Name] = g with { Members = g.Members.Replace(m, m with { Enabled = enabled }) };
            return;
        }

        b.ServiceGroups[g.Name] = g with { Enabled = enabled };
    }

    private static ServiceGroup Require(ConfigBuilder b, ParsedCommand c) =>
        b.ServiceGroups.TryGetValue(c.Get<string>("serviceGroupName"), out var g)
            ? g
            : throw c.Error("serviceGroupName", $"no service group named '{c.Get<string>("serviceGroupName")}'");

    private static ServiceGroupMember RequireMember(ConfigBuilder b, ServiceGroup g, ParsedCommand c)
    {
        var word = c.Get<string>("serverName");
        var server = b.Servers.Values.FirstOrDefault(s => s.Name == word || s.Address.ToString() == word)?.Name ?? word;
        var port = c.Get("port", -1);
        return g.Members.FirstOrDefault(m => m.ServerName == server && (port < 0 || m.Port == port))
            ?? throw c.Error("serverName", $"'{g.Name}' has no member {word}{(port < 0 ? "" : ":" + port)}");
    }
}

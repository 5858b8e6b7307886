using Portico.CommandLanguage;
using Portico.Configuration;
using Portico.LoadBalancing.Commands;

namespace Portico.Health.Commands;

/// <summary><c>add|set|unset|rm|enable|disable|show lb monitor</c>.</summary>
internal sealed class MonitorCommands : ICommandModule
{
    public void Register(CommandRegistry r)
    {
        r.Sections.Add(HealthSections.MonitorSection, ConfigRank.Profiles + 10, MonitorWriter.Monitors);

        MonitorOptions.Declare(r.Mutation("add", "lb monitor", "Adds a health monitor: what to probe, how often, how many results change a state")
            .Positional("monitorName", Values.Name, "the monitor's name")
            .Positional("type", MonitorTypes.Parser, "PING, TCP, HTTP, TCP-ECV, HTTP-ECV or UDP-ECV"))
            .Applies(Add);

        MonitorOptions.Declare(r.Mutation("set", "lb monitor", "Changes a monitor; members keep their state")
            .Positional("monitorName", Values.Name, "the monitor's name")
            .Positional("type", MonitorTypes.Parser, "the monitor's type (it cannot change)"))
            .Applies((b, c) =>
            {
                var m = Require(b, c, mutable: true);
                b.Monitors[m.Name] = MonitorOptions.Apply(m, c) with { Kept = KeptOptions.Merge(m.Kept, c.Kept) };
            });

        r.Mutation("unset", "lb monitor", "Resets a monitor's options to their defaults")
            .Positional("monitorName", Values.Name, "the monitor's name")
            .Positional("type", MonitorTypes.Parser, "the monitor's type")
            .Option("interval", Values.Flag, "reset to 5 s").Option("resptimeout", Values.Flag, "reset to 2 s")
            .Option("downTime", Values.Flag, "reset to 30 s").Option("retries", Values.Flag, "reset to 3")
            .Option("successRetries", Values.Flag, "reset to 1").Option("destPort", Values.Flag, "probe the member's port")
            .Option("httpRequest", Values.Flag, "reset to HEAD /").Option("respCode", Values.Flag, "reset to 200")
            .Option("send", Values.Flag, "send nothing").Option("recv", Values.Flag, "accept any reply")
            .Option("customHeaders", Values.Flag, "no extra headers").Option("secure", Values.Flag, "reset to NO")
            .Keeps(MonitorOptions.Kept)
            .Applies(Unset);

        r.Mutation("rm", "lb monitor", "Removes a monitor that no service or group uses")
            .Positional("monitorName", Values.Name, "the monitor's name")
            .Positional("type", MonitorTypes.Parser, "the monitor's type", required: false)
            .Applies((b, c) =>
            {
                var m = Require(b, c, mutable: true);
                var bound = b.MonitorBindings.Where(x => x.Monitor == m.Name).Select(x => x.Target).ToList();
                if (bound.Count > 0)
                {
                    throw c.Error("monitorName", $"'{m.Name}' is bound to {string.Join(", ", bound)}; unbind it first (unbind lb monitor {m.Name} {bound[0]})");
                }

                b.Monitors.Remove(m.Name);
            });

        r.Mutation("enable", "lb monitor", "Starts a monitor probing again")
            .Positional("monitorName", Values.Name, "the monitor's name")
            .Applies((b, c) => b.Monitors[Require(b, c, mutable: true).Name] = Require(b, c, mutable: true) with { Enabled = true });

        r.Mutation("disable", "lb monitor", "Stops a monitor; its members' state no longer depends on it")
            .Positional("monitorName", Values.Name, "the monitor's name")
            .Applies((b, c) => b.Monitors[Require(b, c, mutable: true).Name] = Require(b, c, mutable: true) with { Enabled = false });

        r.Query("show", "lb monitor", "Lists monitors (built-in ones too) and where they are bound")
            .Positional("monitorName", Values.Name, "a monitor's name", required: false)
            .Runs(MonitorViews.Monitors);

        r.Query("show", "lb monbindings", "Lists the services and groups a monitor probes, with their state")
            .Positional("monitorName", Values.Name, "the monitor's name")
            .Runs<MonitorViews>(v => v.Bindings);
    }

    private static void Add(ConfigBuilder b, ParsedCommand c)
    {
        var name = c.Get<string>("monitorName");
        if (BuiltInMonitors.All.ContainsKey(name))
        {
            throw c.Error("monitorName", $"'{name}' is a built-in monitor; choose another name");
        }

        if (b.Monitors.ContainsKey(name))
        {
            throw c.Error("monitorName", $"lb monitor '{name}' already exists");
        }

        var m = LbMonitor.Create(name, c.Get<MonitorType>("type")) with { Kept = c.Kept };
        b.Monitors.Add(name, MonitorOptions.Apply(m, c));
    }

    private static void Unset(ConfigBuilder b, ParsedCommand c)
    {
        var m = Require(b, c, mutable: true);
        var d = LbMonitor.Create(m.Name, m.Type);
        m = m with
        {
            Interval = c.Has("interval") ? d.Interval : m.Interval,
            ResponseTimeout = c.Has("resptimeout") ? d.ResponseTimeout : m.ResponseTimeout,
            DownTime = c.Has("downTime") ? d.DownTime : m.DownTime,
            Retries = c.Has("retries") ? d.Retries : m.Retries,
            SuccessRetries = c.Has("successRetries") ? d.SuccessRetries : m.SuccessRetries,
            DestPort = c.Has("destPort") ? 0 : m.DestPort,
            HttpRequest = c.Has("httpRequest") ? null : m.HttpRequest,
            RespCodes = c.Has("respCode") ? [] : m.RespCodes,
            Send = c.Has("send") ? null : m.Send,
            Recv = c.Has("recv") ? null : m.Recv,
            CustomHeaders = c.Has("customHeaders") ? null : m.CustomHeaders,
            Secure = !c.Has("secure") && m.Secure,
            Kept = KeptOptions.Remove(m.Kept, c.Kept),
        };
        if (m.ResponseTimeout.Span >= m.Interval.Span)
        {
            throw c.Error($"after this, -resptimeout ({m.ResponseTimeout}) would not be less than -interval ({m.Interval}); unset both or set them");
        }

        b.Monitors[m.Name] = m;
    }

    /// <summary>The monitor the line names; built-ins only when <paramref name="mutable"/> is false.</summary>
    internal static LbMonitor Require(ConfigBuilder b, ParsedCommand c, bool mutable)
    {
        var name = c.Get<string>("monitorName");
        if (b.Monitors.TryGetValue(name, out var m))
        {
            if (c.Maybe<MonitorType>("type") is { } type && type != m.Type)
            {
                throw c.Error("type", $"'{name}' is a {MonitorTypes.Words[m.Type]} monitor; a monitor's type cannot change (rm lb monitor {name}, then add it again)");
            }

            return m;
        }

        if (BuiltInMonitors.All.TryGetValue(name, out var builtIn))
        {
            return mutable
                ? throw c.Error("monitorName", $"'{name}' is a built-in monitor and cannot be changed; add your own (add lb monitor my_{name} {MonitorTypes.Words[builtIn.Type]} ...) and bind it")
                : builtIn;
        }

        throw c.Error("monitorName", $"no lb monitor named '{name}'");
    }
}

using System.Net;
using Portico.Acl;
using Portico.CommandLanguage;
using Portico.Configuration;

namespace Portico.Acl.Commands;

/// <summary>
/// <c>add|rm|clear|flush|show|stat ns simpleacl</c> and the same for <c>ns simpleacl6</c>. Simple ACLs
/// take effect when their batch applies: no apply step, as on NetScaler.
/// </summary>
internal sealed class SimpleAclCommands(TimeProvider time) : ICommandModule
{
    public void Register(CommandRegistry r)
    {
        r.Sections.Add(AclSections.SimpleSection, ConfigRank.Policies + 20, Write);

        foreach (var family in new[] { AclFamily.V4, AclFamily.V6 })
        {
            var obj = $"ns simpleacl{AclValues.Suffix(family)}";
            var src = family == AclFamily.V4 ? "srcIP" : "srcIPv6";
            r.Mutation("add", obj, $"Blocks one {(family == AclFamily.V4 ? "IPv4" : "IPv6")} source address (all ports, or one protocol's port), at once, optionally for -TTL seconds")
                .Positional("aclname", Values.Name, "the rule's name")
                .Positional("aclaction", AclValues.SimpleAction, "DENY (the only action of simple ACLs)")
                .Option(src, AclValues.Address(family), "the source address to block")
                .Option("destPort", Values.Int(1, 65535), "block only this destination port (needs -protocol)")
                .Option("protocol", AclProtocols.TcpOrUdp, "TCP or UDP, with -destPort")
                .Option("TTL", AclValues.TtlMultipleOfFour, "seconds until the rule removes itself: a multiple of 4, 4..2147483647; such rules are not saved")
                .Option("td", AclValues.TrafficDomain, "traffic domain: 0, the only one Portico has")
                .Applies((b, c) => Add(b, c, family, src));

            r.Mutation("rm", obj, "Removes simple ACLs (established connections stay unless flushed)")
                .Rest("aclname", AclValues.Names, "one or more rule names")
                .Applies((b, c) => Remove(b, c, family));

            r.Mutation("clear", obj, $"Removes every simple ACL{AclValues.Suffix(family)}")
                .Applies((b, _) => b.SimpleAcls = b.SimpleAcls.Clear(family));

            r.Action("flush", obj, "Resets the established connections (and UDP sessions) that the simple ACLs cover")
                .Option("estSessions", Values.Flag, "established sessions (required)")
                .Runs<AclEnforcement>(enforcement => (ctx, c) => Flush(enforcement, ctx, c, family));

            r.Query("show", obj, "Lists simple ACLs: source, port, hits, TTL and seconds left")
                .Positional("aclname", Values.Name, "a rule's name", required: false)
                .Runs((ctx, c) => SimpleAclReports.Show(ctx, c, family, time.GetUtcNow().UtcTicks));

            r.Query("stat", obj, "Simple ACL counters: hits, misses, rules")
                .Runs<SimpleAclReports>(reports => (ctx, _) => reports.Stat(ctx, family, time.GetUtcNow().UtcTicks));
        }
    }

    private void Add(ConfigBuilder b, ParsedCommand c, AclFamily family, string src)
    {
        AclValues.RequireDefaultDomain(c);
        var now = time.GetUtcNow().UtcTicks;
        b.SimpleAcls = b.SimpleAcls.WithoutExpired(now);
        var name = c.Get<string>("aclname");
        var obj = $"ns simpleacl{AclValues.Suffix(family)}";
        if (b.SimpleAcls.Find(family, name, now) is { } taken)
        {
            throw c.Error("aclname", $"{obj} '{name}' already exists{Left(taken, now)} (rules cannot be changed: rm it, then add it again)");
        }

        var source = c.MaybeRef<IPAddress>(src) ?? throw c.Error($"'add {obj}' needs the address to block: -{src} <address>");
        var port = (int)c.Get("destPort", 0L);
        var protocol = c.Get<byte>("protocol", 0);
        if (port != 0 && protocol == 0)
        {
            throw c.Error("destPort", "-destPort needs -protocol TCP or UDP: a simple ACL blocks one protocol's port");
        }

        if (protocol != 0 && port == 0)
        {
            throw c.Error("protocol", "-protocol goes with -destPort; without both the rule blocks every port and protocol");
        }

        var ttl = c.Maybe<long>("TTL");
        var rule = new SimpleAcl(name, family, source, protocol, port, ttl, ttl is { } s ? now + (s * TimeSpan.TicksPerSecond) : 0,
            c.Kept.Count == 0 ? [] : c.Kept);
        if (b.SimpleAcls.RulesFor(rule.Key) is { } existing)
        {
            if (existing.AllPorts is { } all)
            {
                throw c.Error(src, rule.AllPorts
                    ? $"{source} is already blocked on every port by {obj} '{all.Name}'{Left(all, now)}"
                    : $"{obj} '{all.Name}'{Left(all, now)} blocks every port of {source}; NetScaler refuses a port rule for a source with an all-ports rule (rm '{all.Name}' first)");
            }

            if (existing.Specific.FirstOrDefault(x => x.Protocol == protocol && x.DestinationPort == port) is { } same)
            {
                throw c.Error("destPort", $"{obj} '{same.Name}'{Left(same, now)} already blocks {source} on {Describe(same)}");
            }
        }

        b.SimpleAcls = b.SimpleAcls.Add(rule);
    }

    private void Remove(ConfigBuilder b, ParsedCommand c, AclFamily family)
    {
        var now = time.GetUtcNow().UtcTicks;
        b.SimpleAcls = b.SimpleAcls.WithoutExpired(now);
        foreach (var name in c.Get<List<string>>("aclname"))
        {
            var rule = b.SimpleAcls.Find(family, name, now)
                ?? throw c.Error("aclname", $"no ns simpleacl{AclValues.Suffix(family)} named '{name}'{(family == AclFamily.V4 && b.SimpleAcls.Find(AclFamily.V6, name, now) is not null ? " (there is a simpleacl6 of that name)" : "")}");
            b.SimpleAcls = b.SimpleAcls.Remove(rule);
        }
    }

    private static MessageResult Flush(AclEnforcement enforcement, CommandContext ctx, ParsedCommand c, AclFamily family)
    {
        if (!c.Has("estSessions"))
        {
            throw c.Error("'flush ns simpleacl' resets established connections: write flush ns simpleacl -estSessions");
        }

        var cut = enforcement.FlushSimple(ctx.Config.SimpleAcls, family);
        return new MessageResult($"{cut} established connection(s) reset");
    }

    /// <summary>
    /// " (TTL, 52 s left)" for a rule with a TTL: such rules outlive reloads, so an operator whose file now
    /// clashes with one learns why, and that it will go by itself.
    /// </summary>
    private static string Left(SimpleAcl rule, long now) => rule.RemainingSeconds(now) is { } left ? $" (TTL, {left} s left)" : "";

    /// <summary><c>TCP port 80</c>, or <c>every port</c>.</summary>
    internal static string Describe(SimpleAcl rule) =>
        rule.AllPorts ? "every port" : $"{(rule.Protocol == AclProtocols.Tcp ? "TCP" : "UDP")} port {rule.DestinationPort}";

    /// <summary>The <c>add ns simpleacl</c> lines <c>save config</c> writes: permanent rules only, in creation order.</summary>
    public static IEnumerable<string> Write(RunningConfig config)
    {
        foreach (var rule in config.SimpleAcls.AllLive(long.MinValue).Where(r => r.TtlSeconds is null))
        {
            var words = new List<string>
            {
                $"add ns simpleacl{AclValues.Suffix(rule.Family)} {ConfigText.Quote(rule.Name)} DENY -{(rule.Family == AclFamily.V4 ? "srcIP" : "srcIPv6")} {rule.Source}",
            };
            if (!rule.AllPorts)
            {
                words.Add($"-destPort {rule.DestinationPort} -protocol {(rule.Protocol == AclProtocols.Tcp ? "TCP" : "UDP")}");
            }

            words.AddRange(rule.Kept.Select(k => k.ToString()));
            yield return string.Join(' ', words);
        }
    }
}

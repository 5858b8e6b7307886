using Portico.Acl;
using Portico.CommandLanguage;
using Portico.Configuration;
using Portico.Geo;
using Portico.LoadBalancing.Commands;

namespace Portico.Acl.Commands;

/// <summary>
/// <c>add|set|unset|rm|enable|disable|show|stat ns acl</c>, <c>apply|renumber|clear ns acls</c>, and the
/// same for <c>acl6</c>/<c>acls6</c>. Every change is pending until <c>apply</c>, which compiles the
/// configured rules into the table the data path reads and resets the sessions new DENY rules cover.
/// </summary>
internal sealed class ExtendedAclCommands(TimeProvider time) : ICommandModule
{
    /// <summary>Options that narrow a rule to something Portico cannot see: a rule using one is kept, never applied.</summary>
    private static readonly string[] Narrowing =
    [
        "srcMac", "srcMacMask", "vlan", "vxlan", "interface", "srcIPDataset", "destIPDataset", "srcPortDataset", "destPortDataset",
    ];

    /// <summary>NetScaler options kept without effect.</summary>
    private static readonly string[] Kept = ["icmpType", "icmpCode", "stateful", "dfdhash", "dfdprefix", "nodeid", "type", "kernelstate"];

    public void Register(CommandRegistry r)
    {
        r.Sections.Add(AclSections.ExtendedSection, ConfigRank.Policies + 30, Write);

        foreach (var family in new[] { AclFamily.V4, AclFamily.V6 })
        {
            var six = AclValues.Suffix(family);
            var obj = $"ns acl{six}";
            var (src, dst) = family == AclFamily.V4 ? ("srcIP", "destIP") : ("srcIPv6", "destIPv6");
            var maxPriority = ExtendedAclSet.Empty(family).MaxPriority;

            var add = r.Mutation("add", obj, "Adds an extended ACL rule (pending until apply ns acls" + six + ")")
                .Positional("aclname", Values.Name, "the rule's name")
                .Positional("aclaction", AclValues.ExtendedAction, "ALLOW or DENY");
            Conditions(add, family, src, dst, maxPriority)
                .Option("state", Values.EnabledDisabled, "ENABLED (default) or DISABLED")
                .Option("TTL", AclValues.Ttl, "seconds until the rule removes itself; such rules are not saved")
                .Keeps(Kept)
                .Applies((b, c) => Add(b, c, family, src, dst));

            var set = r.Mutation("set", obj, "Changes an extended ACL rule (pending until apply)")
                .Positional("aclname", Values.Name, "the rule's name")
                .Option("aclaction", SetAction, "ALLOW or DENY");
            Conditions(set, family, src, dst, maxPriority)
                .Keeps(Kept)
                .Applies((b, c) => Set(b, c, family, src, dst));

            r.Mutation("unset", obj, "Removes conditions of an extended ACL rule (pending until apply)")
                .Positional("aclname", Values.Name, "the rule's name")
                .Option(src, Values.Flag, "any source").Option("srcPort", Values.Flag, "any source port")
                .Option(dst, Values.Flag, "any destination").Option("destPort", Values.Flag, "any destination port")
                .Option("protocol", Values.Flag, "any protocol").Option("protocolNumber", Values.Flag, "any protocol")
                .Option("srcCountry", Values.Flag, "any country").Option("logstate", Values.Flag, "no logging")
                .Option("ratelimit", Values.Flag, "100 lines a second").Option("established", Values.Flag, "any packet")
                .Keeps(Kept).Keeps(Narrowing)
                .Applies((b, c) => Unset(b, c, family, src, dst));

            r.Mutation("rm", obj, "Removes extended ACL rules (still in force until apply)")
                .Rest("aclname", AclValues.Names, "one or more rule names")
                .Applies((b, c) => Edit(b, c, family, (acls, rule) => acls.Without(rule.Name)));

            r.Mutation("enable", obj, "Enables extended ACL rules (pending until apply)")
                .Rest("aclname", AclValues.Names, "one or more rule names")
                .Applies((b, c) => Edit(b, c, family, (acls, rule) => acls.With(rule with { Enabled = true })));

            r.Mutation("disable", obj, "Disables extended ACL rules (pending until apply)")
                .Rest("aclname", AclValues.Names, "one or more rule names")
                .Applies((b, c) => Edit(b, c, family, (acls, rule) => acls.With(rule with { Enabled = false })));

            r.Mutation("apply", $"ns acls{six}", $"Compiles the extended ACL{six}s into the table in force, as one unit; resets the sessions new DENY rules cover")
                .Applies((b, _) => b.ExtendedAcls = b.ExtendedAcls.With(b.ExtendedAcls[family].Apply(time.GetUtcNow().UtcTicks)));

            r.Mutation("renumber", $"ns acls{six}", "Renumbers priorities to 10, 20, 30... in evaluation order (pending until apply)")
                .Applies((b, _) => Renumber(b, family));

            r.Mutation("clear", $"ns acls{six}", $"Removes every extended ACL{six}, in force at once (no apply needed)")
                .Applies((b, _) => b.ExtendedAcls = b.ExtendedAcls.With(b.ExtendedAcls[family].Clear(time.GetUtcNow().UtcTicks)));

            r.Query("show", obj, "Lists extended ACL rules: conditions, priority, hits, and whether each is applied or pending")
                .Positional("aclname", Values.Name, "a rule's name", required: false)
                .Runs((ctx, c) => ExtendedAclReports.Show(ctx, c, family, time.GetUtcNow().UtcTicks));

            r.Query("stat", obj, "Extended ACL counters: hits, misses, allowed, denied; or one rule's hits")
                .Positional("aclname", Values.Name, "a rule's name", required: false)
                .Runs<ExtendedAclReports>(reports => (ctx, c) =>
                    (IQueryResult?)ExtendedAclReports.RuleHits(ctx, c, family, time.GetUtcNow().UtcTicks) ?? reports.Totals(ctx, family, time.GetUtcNow().UtcTicks));
        }
    }

    private static readonly ValueParser SetAction = words =>
    {
        try
        {
            return AclValues.ExtendedAction(words);
        }
        catch (UnsupportedValueException e)
        {
            throw new ValueException(e.Index, e.Message);
        }
    };

    private static CommandSpecBuilder Conditions(CommandSpecBuilder spec, AclFamily family, string src, string dst, long maxPriority)
    {
        spec.Option(src, AclRange.AddressParser(family), "[=|!=] source address or range (a-b, a/len)")
            .Option("srcPort", AclRange.PortParser, "[=|!=] source port or range")
            .Option(dst, AclRange.AddressParser(family), "[=|!=] destination (VIP) address or range")
            .Option("destPort", AclRange.PortParser, "[=|!=] destination port or range")
            .Option("protocol", AclProtocols.Parser(family), "protocol name (Portico sees TCP and UDP)")
            .Option("protocolNumber", Values.Int(1, 255), "protocol number")
            .Option("srcCountry", CountryMatch.Parser, "[=|!=] client country codes, like GB or GB,FR (Portico extension; needs set ns geoip)")
            .Option("priority", Values.Int(1, maxPriority), $"evaluation order, 1..{maxPriority}, lowest first; default: the highest in use + 10")
            .Option("logstate", Values.EnabledDisabled, "log every match")
            .Option("ratelimit", Values.Int(1, 10000), "log lines per second (default 100)")
            .Option("established", Values.Flag, "only TCP packets with ACK or RST (never a new connection)")
            .Option("td", AclValues.TrafficDomain, "traffic domain: 0, the only one Portico has");
        foreach (var option in Narrowing)
        {
            spec.Option(option, Values.Words, "not supported by Portico: the line is kept, not applied");
        }

        return spec;
    }

    private void Add(ConfigBuilder b, ParsedCommand c, AclFamily family, string src, string dst)
    {
        var now = time.GetUtcNow().UtcTicks;
        var acls = b.ExtendedAcls[family].WithoutExpired(now);
        var name = c.Get<string>("aclname");
        if (acls.Find(name, now) is not null)
        {
            throw c.Error("aclname", $"ns acl{AclValues.Suffix(family)} '{name}' already exists (set ns acl{AclValues.Suffix(family)} changes it)");
        }

        var ttl = c.Maybe<long>("TTL");
        var rule = new ExtendedAcl(name, family, c.Get<AclAction>("aclaction"))
        {
            Enabled = c.Get("state", true),
            TtlSeconds = ttl,
            ExpiresAtTicks = ttl is { } s ? now + (s * TimeSpan.TicksPerSecond) : 0,
            Kept = c.Kept.Count == 0 ? [] : c.Kept,
        };
        rule = Fill(rule, c, acls, src, dst);
        if (!c.Has("priority"))
        {
            // The next multiple of 10 leaves room to insert rules between, as renumber does.
            var highest = acls.HighestPriority;
            var next = ((highest / 10) + 1) * 10;
            rule = next <= acls.MaxPriority
                ? rule with { Priority = next }
                : throw c.Error("aclname", $"no priority is left after {highest}: give -priority, or renumber ns acls{AclValues.Suffix(family)}");
        }

        Commit(b, c, acls.With(rule), rule);
    }

    private void Set(ConfigBuilder b, ParsedCommand c, AclFamily family, string src, string dst)
    {
        var now = time.GetUtcNow().UtcTicks;
        var acls = b.ExtendedAcls[family].WithoutExpired(now);
        var rule = Require(acls, c, family, now, c.Get<string>("aclname"));
        rule = Fill(rule with { Action = c.Get("aclaction", rule.Action), Kept = KeptOptions.Merge(rule.Kept, c.Kept) }, c, acls, src, dst);
        Commit(b, c, acls.With(rule), rule);
    }

    private void Unset(ConfigBuilder b, ParsedCommand c, AclFamily family, string src, string dst)
    {
        var now = time.GetUtcNow().UtcTicks;
        var acls = b.ExtendedAcls[family].WithoutExpired(now);
        var rule = Require(acls, c, family, now, c.Get<string>("aclname"));
        rule = rule with
        {
            Source = c.Has(src) ? null : rule.Source,
            SourcePort = c.Has("srcPort") ? null : rule.SourcePort,
            Destination = c.Has(dst) ? null : rule.Destination,
            DestinationPort = c.Has("destPort") ? null : rule.DestinationPort,
            Protocol = c.Has("protocol") || c.Has("protocolNumber") ? (byte)0 : rule.Protocol,
            ProtocolByNumber = !(c.Has("protocol") || c.Has("protocolNumber")) && rule.ProtocolByNumber,
            SourceCountry = c.Has("srcCountry") ? null : rule.SourceCountry,
            Log = !c.Has("logstate") && rule.Log,
            RateLimit = c.Has("ratelimit") ? ExtendedAcl.DefaultRateLimit : rule.RateLimit,
            Established = !c.Has("established") && rule.Established,
            Kept = KeptOptions.Remove(rule.Kept, c.Kept),
        };
        Commit(b, c, acls.With(rule), rule);
    }

    private void Edit(ConfigBuilder b, ParsedCommand c, AclFamily family, Func<ExtendedAclSet, ExtendedAcl, ExtendedAclSet> edit)
    {
        var now = time.GetUtcNow().UtcTicks;
        var acls = b.ExtendedAcls[family].WithoutExpired(now);
        foreach (var name in c.Get<List<string>>("aclname"))
        {
            acls = edit(acls, Require(acls, c, family, now, name));
        }

        b.ExtendedAcls = b.ExtendedAcls.With(acls);
    }

    private void Renumber(ConfigBuilder b, AclFamily family)
    {
        var now = time.GetUtcNow().UtcTicks;
        var acls = b.ExtendedAcls[family].WithoutExpired(now);
        var rules = acls.Ordered(now).ToList();
        foreach (var rule in rules)
        {
            acls = acls.Without(rule.Name);
        }

        // Taken out first and put back renumbered, so no two rules ever share a priority on the way.
        var priority = 0L;
        foreach (var rule in rules)
        {
            priority += 10;
            acls = acls.With(rule.Priority == priority ? rule : rule with { Priority = priority });
        }

        b.ExtendedAcls = b.ExtendedAcls.With(acls);
    }

    /// <summary>Applies the conditions given on the line to <paramref name="rule"/>, checking them against each other.</summary>
    private static ExtendedAcl Fill(ExtendedAcl rule, ParsedCommand c, ExtendedAclSet acls, string src, string dst)
    {
        AclValues.RequireDefaultDomain(c);
        if (Narrowing.FirstOrDefault(c.Has) is { } narrowing)
        {
            throw new UnsupportedCommandException(
                $"-{narrowing} narrows the rule to traffic Portico cannot tell apart (it sees connections, not interfaces, VLANs or MAC addresses); applying the rule without it would widen it, so the line is kept but not applied");
        }

        if (c.Has("protocol") && c.Has("protocolNumber"))
        {
            throw c.Error("protocolNumber", "give -protocol or -protocolNumber, not both");
        }

        rule = rule with
        {
            Source = c.Has(src) ? c.Get<AclRange>(src) : rule.Source,
            SourcePort = c.Has("srcPort") ? c.Get<AclRange>("srcPort") : rule.SourcePort,
            Destination = c.Has(dst) ? c.Get<AclRange>(dst) : rule.Destination,
            DestinationPort = c.Has("destPort") ? c.Get<AclRange>("destPort") : rule.DestinationPort,
            Protocol = c.Has("protocol") ? c.Get<byte>("protocol") : c.Has("protocolNumber") ? (byte)c.Get<long>("protocolNumber") : rule.Protocol,
            ProtocolByNumber = c.Has("protocolNumber") || (!c.Has("protocol") && rule.ProtocolByNumber),
            SourceCountry = c.MaybeRef<CountryMatch>("srcCountry") ?? rule.SourceCountry,
            Priority = c.Get("priority", rule.Priority),
            Log = c.Get("logstate", rule.Log),
            RateLimit = c.Get("ratelimit", rule.RateLimit),
            Established = c.Has("established") || rule.Established,
        };

        if (c.Has("ratelimit") && !rule.Log)
        {
            throw c.Error("ratelimit", "-ratelimit limits logging: it needs -logstate ENABLED");
        }

        if ((rule.SourcePort is not null || rule.DestinationPort is not null) && rule.Protocol is not (0 or AclProtocols.Tcp or AclProtocols.Udp))
        {
            throw c.Error(c.Has("protocol") ? "protocol" : c.Has("protocolNumber") ? "protocolNumber" : rule.SourcePort is not null ? "srcPort" : "destPort",
                "ports exist only for TCP and UDP: a rule with -srcPort or -destPort takes -protocol TCP, UDP or none");
        }

        if (rule.Priority != 0 && acls.AtPriority(rule.Priority) is { } taken && taken.Name != rule.Name)
        {
            throw c.Error("priority", $"priority {rule.Priority} is taken by '{taken.Name}'; choose another (renumber ns acls{AclValues.Suffix(rule.Family)} spaces them by 10)");
        }

        return rule;
    }

    private static void Commit(ConfigBuilder b, ParsedCommand c, ExtendedAclSet acls, ExtendedAcl rule)
    {
        b.ExtendedAcls = b.ExtendedAcls.With(acls);
        if (rule.SourceCountry is not null)
        {
            b.Defer(c, "srcCountry", x => x.GeoIp.Database is null
                ? "-srcCountry needs a GeoIP database: set ns geoip -database <GeoIP2/GeoLite2 Country or City .mmdb>"
                : null);
        }

        if (!rule.CanMatchTcpOrUdp)
        {
            b.Note(c, rule.Established
                ? $"'{rule.Name}' has -established: it matches only packets with ACK or RST, never a new connection, so it has no effect in Portico"
                : $"'{rule.Name}' is for protocol {AclProtocols.NameOf(rule.Protocol) ?? rule.Protocol.ToString(System.Globalization.CultureInfo.InvariantCulture)}: Portico sees only TCP and UDP connections, so it has no effect");
        }
    }

    private static ExtendedAcl Require(ExtendedAclSet acls, ParsedCommand c, AclFamily family, long now, string name) =>
        acls.Find(name, now) ?? throw c.Error("aclname", $"no ns acl{AclValues.Suffix(family)} named '{name}'");

    /// <summary>
    /// The lines <c>save config</c> writes: the configured rules (pending changes included, rules with a TTL
    /// left out) in evaluation order, then <c>apply ns acls</c>, so a restart enforces what was saved, as
    /// NetScaler enforces the ACLs of ns.conf at boot.
    /// </summary>
    public static IEnumerable<string> Write(RunningConfig config)
    {
        foreach (var family in new[] { AclFamily.V4, AclFamily.V6 })
        {
            var six = AclValues.Suffix(family);
            var (src, dst) = family == AclFamily.V4 ? ("srcIP", "destIP") : ("srcIPv6", "destIPv6");
            var rules = config.ExtendedAcls[family].Ordered(long.MinValue).Where(r => r.TtlSeconds is null).ToList();
            foreach (var rule in rules)
            {
                var words = new List<string> { $"add ns acl{six} {ConfigText.Quote(rule.Name)} {(rule.Action == AclAction.Allow ? "ALLOW" : "DENY")}" };
                if (rule.Source is { } s)
                {
                    words.Add($"-{src} {s.AddressText(family)}");
                }

                if (rule.SourcePort is { } sp)
                {
                    words.Add($"-srcPort {sp.PortText()}");
                }

                if (rule.Destination is { } d)
                {
                    words.Add($"-{dst} {d.AddressText(family)}");
                }

                if (rule.DestinationPort is { } dp)
                {
                    words.Add($"-destPort {dp.PortText()}");
                }

                if (rule.Protocol != 0)
                {
                    words.Add(rule.ProtocolByNumber || AclProtocols.NameOf(rule.Protocol) is null
                        ? $"-protocolNumber {rule.Protocol}"
                        : $"-protocol {AclProtocols.NameOf(rule.Protocol)}");
                }

                if (rule.Established)
                {
                    words.Add("-established");
                }

                if (rule.SourceCountry is { } country)
                {
                    words.Add($"-srcCountry {country}");
                }

                words.Add($"-priority {rule.Priority}");
                if (!rule.Enabled)
                {
                    words.Add("-state DISABLED");
                }

                if (rule.Log)
                {
                    words.Add("-logstate ENABLED");
                    if (rule.RateLimit != ExtendedAcl.DefaultRateLimit)
                    {
                        words.Add($"-ratelimit {rule.RateLimit}");
                    }
                }

                words.AddRange(rule.Kept.Select(k => k.ToString()));
                yield return string.Join(' ', words);
            }

            if (rules.Count > 0)
            {
                yield return $"apply ns acls{six}";
            }
        }
    }
}

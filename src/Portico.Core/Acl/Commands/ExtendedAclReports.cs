using System.Globalization;
using Portico.Acl;
using Portico.CommandLanguage;
using Portico.Configuration;

namespace Portico.Acl.Commands;

/// <summary><c>show ns acl</c> (the rules, from the config) and <c>stat ns acl</c> (the admission policy's counters).</summary>
internal sealed class ExtendedAclReports(AclAdmissionPolicy policy)
{
    public static IQueryResult Show(CommandContext ctx, ParsedCommand c, AclFamily family, long now)
    {
        var acls = ctx.Config.ExtendedAcls[family];
        var six = AclValues.Suffix(family);
        var rows = acls.Ordered(now).Select(r => (Rule: r, State: acls.StateOf(r)))
            .Concat(acls.PendingRemovals(now).Select(r => (Rule: r, State: AclKernelState.Delete)))
            .ToList();
        if (c.MaybeRef<string>("aclname") is { } name)
        {
            var (rule, state) = rows.FirstOrDefault(x => x.Rule.Name == name);
            return rule is null ? throw c.Error("aclname", $"no ns acl{six} named '{name}'") : Detail(rule, state, now);
        }

        return new ExtendedAclList(family, acls.Ordered(now).Count(), acls.Applied.Table.Count,
            [.. rows.Select(x => new ExtendedAclRow(x.Rule.Name, Action(x.Rule), x.Rule.Priority, x.Rule.Enabled, StateWord(x.State),
                Interlocked.Read(ref x.Rule.Counters.Hits), Conditions(x.Rule, family, now)))]);
    }

    /// <summary><c>stat ns acl NAME</c>: one rule's hits, from the config; null without a name.</summary>
    public static ExtendedAclHits? RuleHits(CommandContext ctx, ParsedCommand c, AclFamily family, long now)
    {
        if (c.MaybeRef<string>("aclname") is not { } name)
        {
            return null;
        }

        var acls = ctx.Config.ExtendedAcls[family];
        var rule = acls.Find(name, now) ?? acls.PendingRemovals(now).FirstOrDefault(r => r.Name == name)
            ?? throw c.Error("aclname", $"no ns acl{AclValues.Suffix(family)} named '{name}'");
        return new ExtendedAclHits(family, rule.Name, Interlocked.Read(ref rule.Counters.Hits));
    }

    /// <summary><c>stat ns acl</c>: the admission policy's totals.</summary>
    public AclCounterList Totals(CommandContext ctx, AclFamily family, long now)
    {
        var acls = ctx.Config.ExtendedAcls[family];
        var six = AclValues.Suffix(family);
        var stats = policy.ExtendedStats(family);
        return new AclCounterList(
        [
            AclCounter.Named($"Allow ACL{six} hits", $"ACL{six}Allow", Interlocked.Read(ref stats.Allowed)),
            AclCounter.Named($"Deny ACL{six} hits", $"ACL{six}Deny", Interlocked.Read(ref stats.Denied)),
            AclCounter.Named($"Bridge ACL{six} hits", $"ACL{six}Bdg", 0),
            AclCounter.Named($"ACL{six} hits", $"ACL{six}Hits", Interlocked.Read(ref stats.Hits)),
            AclCounter.Named($"ACL{six} misses", $"ACL{six}Miss", Interlocked.Read(ref stats.Misses)),
            AclCounter.Named($"ACL{six} count", $"ACL{six}Count", acls.Ordered(now).Count()),
            new AclCounter(null, $"ACL{six}s in force (applied)", acls.Applied.Table.Count),
        ]);
    }

    private static ExtendedAclDetail Detail(ExtendedAcl rule, AclKernelState state, long now)
    {
        var family = rule.Family;
        long? left = rule.TtlSeconds is null ? null : Math.Max(0, (rule.ExpiresAtTicks - now + TimeSpan.TicksPerSecond - 1) / TimeSpan.TicksPerSecond);
        return new ExtendedAclDetail(family, rule.Name, Action(rule), Interlocked.Read(ref rule.Counters.Hits), rule.Source?.AddressText(family),
            rule.Destination?.AddressText(family), Protocol(rule), rule.SourcePort?.PortText(), rule.DestinationPort?.PortText(), rule.SourceCountry?.ToString(),
            rule.Enabled, StateWord(state), rule.Priority, rule.TtlSeconds, left, rule.Log, rule.RateLimit, !rule.CanMatchTcpOrUdp);
    }

    private static string Conditions(ExtendedAcl rule, AclFamily family, long now)
    {
        var parts = new List<string>();
        if (rule.Source is { } s)
        {
            parts.Add($"src {s.AddressText(family)}");
        }

        if (rule.SourcePort is { } sp)
        {
            parts.Add($"srcPort {sp.PortText()}");
        }

        if (rule.Destination is { } d)
        {
            parts.Add($"dst {d.AddressText(family)}");
        }

        if (rule.DestinationPort is { } dp)
        {
            parts.Add($"destPort {dp.PortText()}");
        }

        if (rule.Protocol != 0)
        {
            parts.Add(Protocol(rule));
        }

        if (rule.SourceCountry is { } country)
        {
            parts.Add($"country {country}");
        }

        if (rule.TtlSeconds is not null)
        {
            parts.Add($"expires in {Math.Max(0, (rule.ExpiresAtTicks - now) / TimeSpan.TicksPerSecond)} s");
        }

        return parts.Count == 0 ? "any" : string.Join("; ", parts);
    }

    private static string Action(ExtendedAcl rule) => rule.Action == AclAction.Allow ? "ALLOW" : "DENY";

    private static string Protocol(ExtendedAcl rule) =>
        rule.Protocol == 0 ? "ANY" : AclProtocols.NameOf(rule.Protocol) ?? rule.Protocol.ToString(CultureInfo.InvariantCulture);

    private static string StateWord(AclKernelState state) => state switch
    {
        AclKernelState.Applied => "APPLIED",
        AclKernelState.NotApplied => "NOTAPPLIED",
        AclKernelState.ReApply => "RE-APPLY",
        _ => "DELETE",
    };
}

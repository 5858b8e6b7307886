using System.Globalization;
using System.Text;
using Portico.Acl;
using Portico.CommandLanguage;
using Portico.Configuration;

namespace Portico.Acl.Commands;

/// <summary>What <c>show ns acl</c> and <c>stat ns acl</c> print.</summary>
internal static class ExtendedAclReports
{
    public static string Show(CommandContext ctx, ParsedCommand c, AclFamily family, long now)
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

        var table = new TextTable("Name", "Action", "Priority", "State", "Applied", "Hits", "Conditions");
        foreach (var (rule, state) in rows)
        {
            table.Row(rule.Name, Action(rule), rule.Priority, rule.Enabled ? "ENABLED" : "DISABLED", StateWord(state),
                Interlocked.Read(ref rule.Counters.Hits), Conditions(rule, family, now));
        }

        var pending = rows.Count(x => x.State != AclKernelState.Applied);
        var summary = $"{acls.Ordered(now).Count()} extended ACL{six}(s); {acls.Applied.Table.Count} in force"
            + (pending > 0 ? $"; {pending} pending: apply ns acls{six} puts them in force" : "");
        return table.Count == 0 ? summary + "\n" : $"{summary}\n{table}";
    }

    public static string Stat(CommandContext ctx, ParsedCommand c, AclFamily family, long now)
    {
        var acls = ctx.Config.ExtendedAcls[family];
        var six = AclValues.Suffix(family);
        if (c.MaybeRef<string>("aclname") is { } name)
        {
            var rule = acls.Find(name, now) ?? acls.PendingRemovals(now).FirstOrDefault(r => r.Name == name)
                ?? throw c.Error("aclname", $"no ns acl{six} named '{name}'");
            return $"Hits for this ACL{six} (Hits): {Interlocked.Read(ref rule.Counters.Hits)}\n";
        }

        var stats = ctx.Get<AclAdmissionPolicy>().ExtendedStats(family);
        var table = new TextTable("Counter", "Total");
        table.Row($"Allow ACL{six} hits (ACL{six}Allow)", Interlocked.Read(ref stats.Allowed));
        table.Row($"Deny ACL{six} hits (ACL{six}Deny)", Interlocked.Read(ref stats.Denied));
        table.Row($"Bridge ACL{six} hits (ACL{six}Bdg)", 0);
        table.Row($"ACL{six} hits (ACL{six}Hits)", Interlocked.Read(ref stats.Hits));
        table.Row($"ACL{six} misses (ACL{six}Miss)", Interlocked.Read(ref stats.Misses));
        table.Row($"ACL{six} count (ACL{six}Count)", acls.Ordered(now).Count());
        table.Row($"ACL{six}s in force (applied)", acls.Applied.Table.Count);
        return table.ToString();
    }

    private static string Detail(ExtendedAcl rule, AclKernelState state, long now)
    {
        var family = rule.Family;
        var sb = new StringBuilder();
        sb.Append($"\tName: {rule.Name}\n");
        sb.Append($"\tAction: {Action(rule)}\tHits: {Interlocked.Read(ref rule.Counters.Hits)}\n");
        Field(sb, family == AclFamily.V4 ? "srcIP" : "srcIPv6", rule.Source?.AddressText(family));
        Field(sb, family == AclFamily.V4 ? "destIP" : "destIPv6", rule.Destination?.AddressText(family));
        sb.Append($"\tProtocol: {Protocol(rule)}\n");
        Field(sb, "srcPort", rule.SourcePort?.PortText());
        Field(sb, "destPort", rule.DestinationPort?.PortText());
        Field(sb, "srcCountry", rule.SourceCountry?.ToString());
        sb.Append($"\tActive Status: {(rule.Enabled ? "ENABLED" : "DISABLED")}\tApplied Status: {StateWord(state)}\n");
        sb.Append($"\tPriority: {rule.Priority}\n");
        if (rule.TtlSeconds is { } ttl)
        {
            var left = Math.Max(0, (rule.ExpiresAtTicks - now + TimeSpan.TicksPerSecond - 1) / TimeSpan.TicksPerSecond);
            sb.Append(CultureInfo.InvariantCulture, $"\tTTL: {ttl} (seconds)\tRemaining: {left} (seconds)\n");
        }

        sb.Append($"\tLog Status: {(rule.Log ? $"ENABLED\tRate limit: {rule.RateLimit}/s" : "DISABLED")}\n");
        if (!rule.CanMatchTcpOrUdp)
        {
            sb.Append("\tNote: matches no new TCP or UDP connection, so it has no effect in Portico\n");
        }

        return sb.ToString();
    }

    private static void Field(StringBuilder sb, string name, string? value) =>
        sb.Append('\t').Append(name).Append(value is null ? "" : " " + value).Append('\n');

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

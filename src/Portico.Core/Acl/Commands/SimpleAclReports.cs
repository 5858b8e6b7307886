using System.Text;
using Portico.Acl;
using Portico.CommandLanguage;
using Portico.Configuration;

namespace Portico.Acl.Commands;

/// <summary>What <c>show ns simpleacl</c> and <c>stat ns simpleacl</c> print.</summary>
internal static class SimpleAclReports
{
    public static string Show(CommandContext ctx, ParsedCommand c, AclFamily family, long now)
    {
        var set = ctx.Config.SimpleAcls;
        if (c.MaybeRef<string>("aclname") is { } name)
        {
            var rule = set.Find(family, name, now) ?? throw c.Error("aclname", $"no ns simpleacl{AclValues.Suffix(family)} named '{name}'");
            var sb = new StringBuilder();
            sb.Append($"\tName: {rule.Name}\tAction: DENY\n");
            sb.Append($"\t{(family == AclFamily.V4 ? "srcIP" : "srcIPv6")} = {rule.Source}\n");
            sb.Append(rule.AllPorts ? "\tProtocol: ANY\tDestPort: ANY\n" : $"\tProtocol = {Protocol(rule)}\tDestPort = {rule.DestinationPort}\n");
            sb.Append($"\tHits: {Interlocked.Read(ref rule.Counters.Hits)}\tTTL: {Ttl(rule)}\tRemaining: {Remaining(rule, now)}\n");
            return sb.ToString();
        }

        var table = new TextTable("Name", "Action", "SrcIP", "Protocol", "DestPort", "Hits", "TTL(s)", "Remaining(s)");
        foreach (var rule in set.Live(family, now))
        {
            table.Row(rule.Name, "DENY", rule.Source, rule.AllPorts ? "ANY" : Protocol(rule), rule.AllPorts ? "ANY" : rule.DestinationPort,
                Interlocked.Read(ref rule.Counters.Hits), rule.TtlSeconds?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-",
                rule.RemainingSeconds(now)?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-");
        }

        return $"{table.Count} simple ACL{AclValues.Suffix(family)}(s)\n{(table.Count == 0 ? "" : table.ToString())}";
    }

    public static string Stat(CommandContext ctx, AclFamily family, long now)
    {
        var stats = ctx.Get<AclAdmissionPolicy>().SimpleStats(family);
        var six = AclValues.Suffix(family);
        var table = new TextTable("Counter", "Total");
        table.Row($"SimpleACL{six} hits (SACL{six}Hits)", Interlocked.Read(ref stats.Hits));
        table.Row($"SimpleACL{six} misses (SACL{six}Miss)", Interlocked.Read(ref stats.Misses));
        table.Row($"SimpleACL{six}s count (SACL{six}sCount)", ctx.Config.SimpleAcls.LiveCount(family, now));
        table.Row($"Allow SimpleACL{six} hits (SACL{six}Allow)", 0);
        table.Row($"Deny SimpleACL{six} hits (SACL{six}Deny)", Interlocked.Read(ref stats.Denied));
        return table.ToString();
    }

    private static string Protocol(SimpleAcl rule) => rule.Protocol == AclProtocols.Tcp ? "TCP" : "UDP";

    private static string Ttl(SimpleAcl rule) => rule.TtlSeconds is { } t ? $"{t} (seconds)" : "none";

    private static string Remaining(SimpleAcl rule, long now) => rule.RemainingSeconds(now) is { } r ? $"{r} (seconds)" : "never expires";
}

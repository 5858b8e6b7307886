using Portico.Acl;
using Portico.CommandLanguage;
using Portico.Configuration;

namespace Portico.Acl.Commands;

/// <summary><c>show ns simpleacl</c> (the rules, from the config) and <c>stat ns simpleacl</c> (the admission policy's counters).</summary>
internal sealed class SimpleAclReports(AclAdmissionPolicy policy)
{
    public static IQueryResult Show(CommandContext ctx, ParsedCommand c, AclFamily family, long now)
    {
        var set = ctx.Config.SimpleAcls;
        if (c.MaybeRef<string>("aclname") is { } name)
        {
            var rule = set.Find(family, name, now) ?? throw c.Error("aclname", $"no ns simpleacl{AclValues.Suffix(family)} named '{name}'");
            return SimpleAclView.Of(rule, family, now);
        }

        return new SimpleAclList(family, [.. set.Live(family, now).Select(r => SimpleAclView.Of(r, family, now))]);
    }

    public AclCounterList Stat(CommandContext ctx, AclFamily family, long now)
    {
        var stats = policy.SimpleStats(family);
        var six = AclValues.Suffix(family);
        return new AclCounterList(
        [
            AclCounter.Named($"SimpleACL{six} hits", $"SACL{six}Hits", Interlocked.Read(ref stats.Hits)),
            AclCounter.Named($"SimpleACL{six} misses", $"SACL{six}Miss", Interlocked.Read(ref stats.Misses)),
            AclCounter.Named($"SimpleACL{six}s count", $"SACL{six}sCount", ctx.Config.SimpleAcls.LiveCount(family, now)),
            AclCounter.Named($"Allow SimpleACL{six} hits", $"SACL{six}Allow", 0),
            AclCounter.Named($"Deny SimpleACL{six} hits", $"SACL{six}Deny", Interlocked.Read(ref stats.Denied)),
        ]);
    }
}

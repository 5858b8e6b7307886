using Portico.Acl;
using Portico.CommandLanguage;
using Portico.Configuration;

namespace Portico.Cluster;

/// <summary>
/// Simple ACLs with a TTL across the cluster: each is a key <c>blocks/&lt;name&gt;</c> holding its <c>add</c> line under
/// an etcd lease of its TTL, so every node applies it from its watch and every node drops it when etcd expires the
/// lease. They are runtime state, not config (save config leaves them out), hence keys of their own.
/// </summary>
public static class ClusterBlocks
{
    /// <summary>The TTL rules <paramref name="next"/> adds to <paramref name="previous"/>, and the names it removes.</summary>
    public static (IReadOnlyList<SimpleAcl> Added, IReadOnlyList<string> Removed) Changes(RunningConfig previous, RunningConfig next)
    {
        var before = Ttl(previous).ToDictionary(r => r.Name, StringComparer.Ordinal);
        var after = Ttl(next).ToDictionary(r => r.Name, StringComparer.Ordinal);
        return ([.. after.Values.Where(r => !before.ContainsKey(r.Name))], [.. before.Keys.Where(n => !after.ContainsKey(n))]);
    }

    /// <summary>The <c>add</c> line a node applies for <paramref name="rule"/>.</summary>
    public static string Line(SimpleAcl rule)
    {
        var v4 = rule.Family == AclFamily.V4;
        var ports = rule.AllPorts ? "" : $" -destPort {rule.DestinationPort} -protocol {(rule.Protocol == AclProtocols.Tcp ? "TCP" : "UDP")}";
        return $"add ns simpleacl{(v4 ? "" : "6")} {ConfigText.Quote(rule.Name)} DENY -{(v4 ? "srcIP" : "srcIPv6")} {rule.Source}{ports} -TTL {rule.TtlSeconds}";
    }

    /// <summary>The line that removes the block named <paramref name="name"/> here, or null when this node has none.</summary>
    public static string? RemoveLine(RunningConfig config, string name, long nowTicks) =>
        config.SimpleAcls.Find(AclFamily.V4, name, nowTicks) is not null ? $"rm ns simpleacl {ConfigText.Quote(name)}"
        : config.SimpleAcls.Find(AclFamily.V6, name, nowTicks) is not null ? $"rm ns simpleacl6 {ConfigText.Quote(name)}"
        : null;

    private static IEnumerable<SimpleAcl> Ttl(RunningConfig config) => config.SimpleAcls.AllLive(long.MinValue).Where(r => r.TtlSeconds is not null);
}

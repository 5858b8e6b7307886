using System.Globalization;
using System.Text;
using Portico.Configuration;

namespace Portico.Acl.Commands;

/// <summary><c>show ns simpleacl[6]</c>: the live simple ACLs of one family.</summary>
/// <param name="Family"><c>V4</c> or <c>V6</c>.</param>
internal sealed record SimpleAclList(AclFamily Family, IReadOnlyList<SimpleAclView> Rules) : IQueryResult
{
    public string ToText()
    {
        var table = new TextTable("Name", "Action", "SrcIP", "Protocol", "DestPort", "Hits", "TTL(s)", "Remaining(s)");
        foreach (var r in Rules)
        {
            table.Row(r.Name, "DENY", r.Source, r.Protocol ?? "ANY", r.DestinationPort is { } port ? port : "ANY", r.Hits,
                r.TtlSeconds?.ToString(CultureInfo.InvariantCulture) ?? "-", r.RemainingSeconds?.ToString(CultureInfo.InvariantCulture) ?? "-");
        }

        return $"{table.Count} simple ACL{AclValues.Suffix(Family)}(s)\n{(table.Count == 0 ? "" : table.ToString())}";
    }
}

/// <summary>One simple ACL (always DENY); <c>show ns simpleacl NAME</c> prints it alone.</summary>
/// <param name="Protocol"><c>TCP</c> or <c>UDP</c> with <paramref name="DestinationPort"/>; null for every protocol and port.</param>
/// <param name="TtlSeconds">Null for a permanent rule.</param>
/// <param name="RemainingSeconds">Null for a permanent rule.</param>
internal sealed record SimpleAclView(AclFamily Family, string Name, string Source, string? Protocol, int? DestinationPort, long Hits, long? TtlSeconds, long? RemainingSeconds)
    : IQueryResult
{
    public static SimpleAclView Of(SimpleAcl rule, AclFamily family, long now) =>
        new(family, rule.Name, rule.Source.ToString(), rule.AllPorts ? null : rule.Protocol == AclProtocols.Tcp ? "TCP" : "UDP",
            rule.AllPorts ? null : rule.DestinationPort, Interlocked.Read(ref rule.Counters.Hits), rule.TtlSeconds, rule.RemainingSeconds(now));

    public string ToText()
    {
        var sb = new StringBuilder();
        sb.Append($"\tName: {Name}\tAction: DENY\n");
        sb.Append($"\t{(Family == AclFamily.V4 ? "srcIP" : "srcIPv6")} = {Source}\n");
        sb.Append(Protocol is null ? "\tProtocol: ANY\tDestPort: ANY\n" : $"\tProtocol = {Protocol}\tDestPort = {DestinationPort}\n");
        sb.Append($"\tHits: {Hits}\tTTL: {(TtlSeconds is { } t ? $"{t} (seconds)" : "none")}\tRemaining: {(RemainingSeconds is { } r ? $"{r} (seconds)" : "never expires")}\n");
        return sb.ToString();
    }
}

using System.Globalization;
using System.Text;
using Portico.Configuration;

namespace Portico.Acl.Commands;

/// <summary><c>show ns acl[6] NAME</c>: one rule with every condition, its state and hits.</summary>
/// <param name="Source">Addresses as written (<c>10.0.0.1-10.0.0.9</c>); null for any. Likewise the other conditions.</param>
/// <param name="Applied">NetScaler's kernel state word.</param>
/// <param name="RemainingSeconds">With a TTL: seconds until it goes, rounded up.</param>
/// <param name="MatchesNoConnection">True when its protocol can match no TCP or UDP connection, so it has no effect in Portico.</param>
internal sealed record ExtendedAclDetail(
    AclFamily Family,
    string Name,
    string Action,
    long Hits,
    string? Source,
    string? Destination,
    string Protocol,
    string? SourcePort,
    string? DestinationPort,
    string? SourceCountry,
    bool Enabled,
    string Applied,
    long Priority,
    long? TtlSeconds,
    long? RemainingSeconds,
    bool Log,
    long RateLimit,
    bool MatchesNoConnection) : IQueryResult
{
    public string ToText()
    {
        var sb = new StringBuilder();
        sb.Append($"\tName: {Name}\n");
        sb.Append($"\tAction: {Action}\tHits: {Hits}\n");
        Field(sb, Family == AclFamily.V4 ? "srcIP" : "srcIPv6", Source);
        Field(sb, Family == AclFamily.V4 ? "destIP" : "destIPv6", Destination);
        sb.Append($"\tProtocol: {Protocol}\n");
        Field(sb, "srcPort", SourcePort);
        Field(sb, "destPort", DestinationPort);
        Field(sb, "srcCountry", SourceCountry);
        sb.Append($"\tActive Status: {(Enabled ? "ENABLED" : "DISABLED")}\tApplied Status: {Applied}\n");
        sb.Append($"\tPriority: {Priority}\n");
        if (TtlSeconds is { } ttl)
        {
            sb.Append(CultureInfo.InvariantCulture, $"\tTTL: {ttl} (seconds)\tRemaining: {RemainingSeconds} (seconds)\n");
        }

        sb.Append($"\tLog Status: {(Log ? $"ENABLED\tRate limit: {RateLimit}/s" : "DISABLED")}\n");
        if (MatchesNoConnection)
        {
            sb.Append("\tNote: matches no new TCP or UDP connection, so it has no effect in Portico\n");
        }

        return sb.ToString();
    }

    private static void Field(StringBuilder sb, string name, string? value) =>
        sb.Append('\t').Append(name).Append(value is null ? "" : " " + value).Append('\n');
}

using Portico.Configuration;

namespace Portico.Acl.Commands;

/// <summary><c>stat ns simpleacl[6]</c> and <c>stat ns acl[6]</c>: NetScaler's ACL counters, each with its NetScaler name.</summary>
internal sealed record AclCounterList(IReadOnlyList<AclCounter> Counters) : IQueryResult
{
    public string ToText()
    {
        var table = new TextTable("Counter", "Total");
        foreach (var c in Counters)
        {
            table.Row(c.Description, c.Total);
        }

        return table.ToString();
    }
}

/// <summary>One counter.</summary>
/// <param name="Name">NetScaler's counter name (<c>SACLHits</c>, <c>ACL6Deny</c>); null for Portico's own.</param>
/// <param name="Description">What the CLI prints: <c>SimpleACL hits (SACLHits)</c>.</param>
internal sealed record AclCounter(string? Name, string Description, long Total)
{
    /// <summary>A NetScaler counter, printed as <c>description (Name)</c>.</summary>
    public static AclCounter Named(string description, string name, long total) => new(name, $"{description} ({name})", total);
}

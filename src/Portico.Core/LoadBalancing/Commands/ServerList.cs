using Portico.Configuration;

namespace Portico.LoadBalancing.Commands;

/// <summary><c>show server</c>: the servers (addresses) services point at.</summary>
internal sealed record ServerList(IReadOnlyList<ServerView> Servers) : IQueryResult
{
    public string ToText()
    {
        var table = new TextTable("Name", "Address", "State", "Comment");
        foreach (var s in Servers)
        {
            table.Row(s.Name, s.Address, s.Enabled ? "ENABLED" : "DISABLED", s.Comment);
        }

        return $"{table.Count} server(s)\n{table}";
    }
}

/// <summary>One server of <c>show server</c>.</summary>
internal sealed record ServerView(string Name, string Address, bool Enabled, string? Comment);

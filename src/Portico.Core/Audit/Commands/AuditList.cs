using System.Text;
using Portico.Configuration;

namespace Portico.Audit.Commands;

/// <summary>What <c>show audit</c> prints: the entries kept, oldest first.</summary>
internal sealed record AuditList(IReadOnlyList<AuditEntry> Entries) : IQueryResult
{
    public static AuditList Of(AuditLog log, string? user) => new([.. log.Entries().Where(e => user is null || e.User == user)]);

    public string ToText()
    {
        var sb = new StringBuilder($"{Entries.Count} audit entr{(Entries.Count == 1 ? "y" : "ies")}\n");
        foreach (var e in Entries)
        {
            sb.Append(e).Append('\n');
        }

        return sb.ToString();
    }
}

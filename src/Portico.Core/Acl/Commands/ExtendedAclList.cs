using Portico.Configuration;

namespace Portico.Acl.Commands;

/// <summary><c>show ns acl[6]</c>: the extended ACLs in evaluation order, then those pending removal, and how many are in force.</summary>
/// <param name="Count">Rules in the config (pending removals excluded).</param>
/// <param name="InForce">Rules the data path enforces now.</param>
internal sealed record ExtendedAclList(AclFamily Family, int Count, int InForce, IReadOnlyList<ExtendedAclRow> Rules) : IQueryResult
{
    public string ToText()
    {
        var six = AclValues.Suffix(Family);
        var table = new TextTable("Name", "Action", "Priority", "State", "Applied", "Hits", "Conditions");
        foreach (var r in Rules)
        {
            table.Row(r.Name, r.Action, r.Priority, r.Enabled ? "ENABLED" : "DISABLED", r.Applied, r.Hits, r.Conditions);
        }

        var pending = Rules.Count(r => r.Applied != "APPLIED");
        var summary = $"{Count} extended ACL{six}(s); {InForce} in force"
            + (pending > 0 ? $"; {pending} pending: apply ns acls{six} puts them in force" : "");
        return table.Count == 0 ? summary + "\n" : $"{summary}\n{table}";
    }
}

/// <summary>One rule of <c>show ns acl</c>.</summary>
/// <param name="Applied"><c>APPLIED</c>, <c>NOTAPPLIED</c>, <c>RE-APPLY</c> or <c>DELETE</c> (NetScaler's kernel states).</param>
/// <param name="Conditions">What it matches, in one line (<c>src 10.0.0.0/8; destPort 80</c>, <c>any</c>).</param>
internal sealed record ExtendedAclRow(string Name, string Action, long Priority, bool Enabled, string Applied, long Hits, string Conditions);

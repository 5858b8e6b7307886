using System.Text;
using Portico.CommandLanguage;
using Portico.Configuration;

namespace Portico.SystemUsers.Commands;

/// <summary><c>show system user</c>: names and bound policies; the hash stays out of every report.</summary>
internal sealed record SystemUserList(IReadOnlyList<SystemUserView> Users) : IQueryResult
{
    public static SystemUserList Of(CommandContext ctx, ParsedCommand c)
    {
        var name = c.MaybeRef<string>("userName");
        var users = ctx.Config.SystemUsers.Where(u => name is null || u.Name == name)
            .Select(u => new SystemUserView(u.Name, [.. u.Policies.OrderBy(p => p.Priority).Select(p => new SystemUserPolicyView(CommandPolicies.Word(p.Policy), p.Priority))]))
            .ToList();
        return name is not null && users.Count == 0 ? throw c.Error("userName", $"no system user named '{name}'") : new SystemUserList(users);
    }

    public string ToText()
    {
        var sb = new StringBuilder($"{Users.Count} system user(s)\n");
        foreach (var u in Users)
        {
            sb.Append($"{u.Name}\n\tPolicies: {(u.Policies.Count == 0 ? "none (may run no command)" : string.Join(", ", u.Policies.Select(p => $"{p.PolicyName} (priority {p.Priority})")))}\n");
        }

        return sb.ToString();
    }
}

/// <summary>One user as <c>show system user</c> lists it.</summary>
public sealed record SystemUserView(string Name, IReadOnlyList<SystemUserPolicyView> Policies);

/// <summary>One bound policy.</summary>
public sealed record SystemUserPolicyView(string PolicyName, int Priority);

using System.Globalization;
using Portico.CommandLanguage;
using Portico.Configuration;

namespace Portico.SystemUsers.Commands;

/// <summary><c>save config</c>'s lines for users: the hash after <c>-encrypted</c>, as NetScaler saves its users, then the policy bindings.</summary>
internal static class SystemUserLines
{
    public static IEnumerable<string> Write(RunningConfig config)
    {
        foreach (var u in config.SystemUsers)
        {
            yield return $"add system user {ConfigText.Quote(u.Name)} {ConfigText.Quote(u.PasswordHash)} -encrypted";
        }

        foreach (var u in config.SystemUsers)
        {
            foreach (var p in u.Policies)
            {
                yield return string.Create(CultureInfo.InvariantCulture, $"bind system user {ConfigText.Quote(u.Name)} -policyName {CommandPolicies.Word(p.Policy)} {p.Priority}");
            }
        }
    }
}

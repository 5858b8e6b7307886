using System.Text.RegularExpressions;

namespace Portico.SystemUsers;

/// <summary>
/// What each built-in command policy allows, as NetScaler writes its policies: a regular expression over the
/// command line. Checking the line itself (not an HTTP verb) means the CLI and NITRO front ends are judged by
/// one rule, since NITRO requests become command lines before they run.
/// </summary>
public static partial class CommandPolicies
{
    /// <summary>The policy's word in <c>bind system user</c> and <c>show system user</c>.</summary>
    public static string Word(CommandPolicy p) => p switch
    {
        CommandPolicy.Superuser => "superuser",
        CommandPolicy.Operator => "operator",
        _ => "read-only",
    };

    /// <summary>The policy a word names, or null (the comparison ignores case, as NetScaler's CLI does).</summary>
    public static CommandPolicy? Parse(string word) => word.ToLowerInvariant() switch
    {
        "superuser" => CommandPolicy.Superuser,
        "operator" => CommandPolicy.Operator,
        "read-only" => CommandPolicy.ReadOnly,
        _ => null,
    };

    /// <summary>True when <paramref name="policy"/> allows <paramref name="commandLine"/> (one command, as typed).</summary>
    public static bool Allows(CommandPolicy policy, string commandLine)
    {
        var line = commandLine.Trim();
        return policy switch
        {
            CommandPolicy.Superuser => true,
            CommandPolicy.Operator => ReadOnlyRule().IsMatch(line) || OperatorRule().IsMatch(line),
            _ => ReadOnlyRule().IsMatch(line),
        };
    }

    // NetScaler's read-only policy: show and stat, except users, the running and saved config (they hold secrets).
    [GeneratedRegex(@"^(show|sh)\s+(?!system)(?!ns\s+(runningConfig|savedConfig))(?!audit)\S.*$|^stat\b.*$|^(show|sh)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ReadOnlyRule();

    // NetScaler's operator policy adds: enable/disable of servers, services, service groups and vservers, save config.
    [GeneratedRegex(@"^(enable|disable)\s+(server|service|serviceGroup|lb\s+vserver)\b.*$|^save\s+(ns\s+)?config\s*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex OperatorRule();
}

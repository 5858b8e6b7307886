using System.Globalization;
using Portico.CommandLanguage;
using Portico.Configuration;

namespace Portico.SystemUsers.Commands;

/// <summary>
/// <c>add|set|rm|bind|unbind|show system user</c>: Portico's administrators. The password is hashed as the
/// batch is read, so no snapshot, saved file or report ever holds it; <c>-encrypted</c> takes a hash as
/// <c>save config</c> wrote it.
/// </summary>
internal sealed class SystemUserCommands : ICommandModule
{
    private static readonly ValueParser PolicyAndPriority = words =>
    {
        Values.ExpectCount(words, 1, 2);
        if (CommandPolicies.Parse(words[0].Text) is not { } policy)
        {
            throw new ValueException(0, $"'{words[0].Text}' is not a built-in command policy Portico enforces (superuser, operator, read-only)");
        }

        if (words.Count == 1)
        {
            return new PolicyBinding(policy, 0);
        }

        return int.TryParse(words[1].Text, NumberStyles.None, CultureInfo.InvariantCulture, out var priority) && priority <= 2_147_483_647
            ? new PolicyBinding(policy, priority)
            : throw new ValueException(1, $"'{words[1].Text}' is not a priority (a whole number from 0)");
    };

    public void Register(CommandRegistry r)
    {
        r.Sections.Add(SystemUserSections.UserSection, ConfigRank.Settings + 50, SystemUserLines.Write);

        r.Mutation("add", "system user", "Adds an administrator with a password (stored as a salted hash)")
            .Positional("userName", Values.Name, "the user's name")
            .Positional("password", Values.Text, "the password, or with -encrypted its hash as save config writes it")
            .Option("encrypted", Values.Flag, "the password is a hash written by save config")
            .Applies(Add);

        r.Mutation("set", "system user", "Changes an administrator's password")
            .Positional("userName", Values.Name, "the user's name")
            .Option("password", Values.Text, "the new password")
            .Positional("hash", Values.Text, "with -encrypted: a hash as save config writes it (what NetScaler's own ns.conf writes for nsroot)", required: false)
            .Option("encrypted", Values.Flag, "the hash is a saved one")
            .Applies(Set);

        r.Mutation("rm", "system user", "Removes an administrator (their sessions end at their next request)")
            .Positional("userName", Values.Name, "the user's name")
            .Applies(Remove);

        r.Mutation("bind", "system user", "Binds a built-in command policy (superuser, operator, read-only) at a priority")
            .Positional("userName", Values.Name, "the user's name")
            .Option("policyName", PolicyAndPriority, "the policy and its priority: superuser 0")
            .Applies(Bind);

        r.Mutation("unbind", "system user", "Unbinds a command policy from an administrator")
            .Positional("userName", Values.Name, "the user's name")
            .Option("policyName", PolicyAndPriority, "the policy")
            .Applies(Unbind);

        r.Query("show", "system user", "Lists administrators and their command policies (never a password or its hash)")
            .Positional("userName", Values.Name, "a user's name", required: false)
            .Runs(SystemUserList.Of);
    }

    private static void Add(ConfigBuilder b, ParsedCommand c)
    {
        var name = c.Get<string>("userName");
        if (b.SystemUsers.ContainsKey(name))
        {
            throw c.Error("userName", $"system user '{name}' already exists");
        }

        b.SystemUsers.Add(name, new SystemUser(name, Hash(c, c.Get<string>("password"), c.Has("encrypted"))));
    }

    private static void Set(ConfigBuilder b, ParsedCommand c)
    {
        if (c.Has("encrypted"))
        {
            SetSaved(b, c);
            return;
        }

        var user = Require(b, c);
        if (!c.Has("password"))
        {
            throw c.Error("userName", "set system user needs -password NEW_PASSWORD (the only setting Portico keeps for a user)");
        }

        b.SystemUsers[user.Name] = user with { PasswordHash = Hash(c, c.Get<string>("password"), encrypted: false) };
    }

    /// <summary>
    /// <c>set system user NAME HASH -encrypted</c>: a saved hash. Every NetScaler ns.conf sets its built-in nsroot this
    /// way, with a hash of NetScaler's own scheme: Portico has no built-in administrator and cannot check such a hash,
    /// so that line is kept, reported and never applied (an imported config opens no account).
    /// </summary>
    private static void SetSaved(ConfigBuilder b, ParsedCommand c)
    {
        var name = c.Get<string>("userName");
        var hash = c.Has("hash") ? c.Get<string>("hash") : throw c.Error("userName", "set system user NAME HASH -encrypted needs the hash");
        if (PasswordHash.Problem(hash) is not null)
        {
            throw new UnsupportedCommandException($"the password hash of '{name}' is not one Portico wrote (NetScaler's own scheme): create the administrator with 'add system user' on this host");
        }

        var user = Require(b, c);
        b.SystemUsers[user.Name] = user with { PasswordHash = hash };
    }

    private static void Remove(ConfigBuilder b, ParsedCommand c) => b.SystemUsers.Remove(Require(b, c).Name);

    private static void Bind(ConfigBuilder b, ParsedCommand c)
    {
        var user = Require(b, c);
        var binding = c.Get<PolicyBinding>("policyName") ?? throw c.Error("userName", "bind system user needs -policyName POLICY PRIORITY");
        if (user.Policies.Any(p => p.Policy == binding.Policy))
        {
            throw c.Error("policyName", $"'{CommandPolicies.Word(binding.Policy)}' is already bound to system user '{user.Name}'");
        }

        b.SystemUsers[user.Name] = user with { Policies = [.. user.Policies, binding] };
    }

    private static void Unbind(ConfigBuilder b, ParsedCommand c)
    {
        var user = Require(b, c);
        var binding = c.Has("policyName") ? c.Get<PolicyBinding>("policyName") : throw c.Error("userName", "unbind system user needs -policyName POLICY");
        if (!user.Policies.Any(p => p.Policy == binding.Policy))
        {
            throw c.Error("policyName", $"'{CommandPolicies.Word(binding.Policy)}' is not bound to system user '{user.Name}'");
        }

        b.SystemUsers[user.Name] = user with { Policies = [.. user.Policies.Where(p => p.Policy != binding.Policy)] };
    }

    private static string Hash(ParsedCommand c, string password, bool encrypted)
    {
        if (encrypted)
        {
            return PasswordHash.Problem(password) is { } problem ? throw c.Error("password", problem) : password;
        }

        // No empty or trivially short password: there is no default one to fall back on, so a weak first one is the only door.
        return password.Length < 8
            ? throw c.Error("password", "a password needs at least 8 characters")
            : PasswordHash.Create(password);
    }

    private static SystemUser Require(ConfigBuilder b, ParsedCommand c)
    {
        var name = c.Get<string>("userName");
        return b.SystemUsers.TryGetValue(name, out var user) ? user : throw c.Error("userName", $"no system user named '{name}'");
    }
}

using Microsoft.Extensions.DependencyInjection;
using Portico.Configuration;
using Portico.Core.Tests.Acl;
using Portico.SystemUsers;

namespace Portico.Core.Tests.SystemUsers;

/// <summary><c>add|set|rm|bind|unbind|show system user</c>, the hash in the saved config, and login checks.</summary>
public sealed class SystemUserCommandTests
{
    [Fact]
    public void A_user_is_stored_as_a_salted_hash_that_save_config_writes_with_encrypted_and_that_verifies_after_reload()
    {
        using var l = new AclLanguage();
        l.Apply("add system user alice 'correct horse battery'\nbind system user alice -policyName superuser 10");

        var saved = ConfigWriter.Write(l.Config, DateTimeOffset.UnixEpoch);
        Assert.DoesNotContain("correct horse", saved, StringComparison.Ordinal);
        var line = Assert.Single(saved.Split('\n'), s => s.StartsWith("add system user alice ", StringComparison.Ordinal));
        Assert.Matches(@"^add system user alice ""?pbkdf2-sha256\$600000\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+""? -encrypted$", line);
        Assert.Contains("bind system user alice -policyName superuser 10\n", saved, StringComparison.Ordinal);

        // The saved file read back by a fresh Portico: same user, same password, same policy.
        using var fresh = new AclLanguage();
        fresh.Apply(saved);
        var auth = fresh.Services.GetRequiredService<SystemUserAuthenticator>();
        Assert.Equal(CommandPolicy.Superuser, auth.Verify("alice", "correct horse battery")?.Policy);
        Assert.Null(auth.Verify("alice", "correct horse batterY"));
        Assert.Null(auth.Verify("bob", "correct horse battery"));
    }

    [Fact]
    public void Show_lists_users_and_policies_and_never_the_hash()
    {
        using var l = new AclLanguage();
        l.Apply("add system user ops secret-pass-1\nbind system user ops -policyName read-only 20\nbind system user ops -policyName operator 5\nadd system user nobody secret-pass-2");
        var text = l.Apply("show system user");
        Assert.Equal("2 system user(s)\nops\n\tPolicies: operator (priority 5), read-only (priority 20)\nnobody\n\tPolicies: none (may run no command)\n", text);
        Assert.Equal(CommandPolicy.Operator, l.Config.SystemUsers[0].Policy);
        var json = System.Text.Json.JsonSerializer.Serialize<object>(l.Run("show system user ops").Results[0]);
        Assert.DoesNotContain("pbkdf2", json, StringComparison.Ordinal);
        Assert.Contains("\"PolicyName\":\"operator\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Set_password_replaces_the_hash_and_rm_and_unbind_remove()
    {
        using var l = new AclLanguage();
        l.Apply("add system user alice first-password\nbind system user alice -policyName superuser 0");
        var auth = l.Services.GetRequiredService<SystemUserAuthenticator>();
        l.Apply("set system user alice -password second-password");
        Assert.Null(auth.Verify("alice", "first-password"));
        Assert.NotNull(auth.Verify("alice", "second-password"));

        l.Apply("unbind system user alice -policyName superuser");
        Assert.Null(l.Config.SystemUsers[0].Policy);
        l.Apply("rm system user alice");
        Assert.False(auth.HasUsers);
    }

    [Theory]
    [InlineData("add system user alice short", "'short'", "at least 8 characters")]
    [InlineData("add system user alice long-enough-1\nadd system user alice long-enough-2", "'alice'", "system user 'alice' already exists")]
    [InlineData("add system user alice long-enough-1\nbind system user alice -policyName root 1", "'root'", "'root' is not a built-in command policy")]
    [InlineData("add system user alice long-enough-1\nbind system user alice -policyName superuser x", "'x'", "'x' is not a priority")]
    [InlineData("add system user alice notahash -encrypted", "'notahash'", "is not a password hash")]
    [InlineData("set system user ghost -password long-enough-1", "'ghost'", "no system user named 'ghost'")]
    [InlineData("add system user ../etc long-enough-1", "'../etc'", "expected a name")]
    public void Bad_input_names_the_field_and_changes_nothing(string batch, string field, string message)
    {
        using var l = new AclLanguage();
        var error = l.Fails(batch);
        Assert.Contains(message, error.ToString(), StringComparison.Ordinal);
        Assert.Contains($"line {error.Line}, column", error.ToString(), StringComparison.Ordinal);
        Assert.Contains(field, error.ToString(), StringComparison.Ordinal);
        Assert.Empty(l.Config.SystemUsers);
    }
}

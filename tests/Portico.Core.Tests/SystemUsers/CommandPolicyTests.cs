using Portico.SystemUsers;

namespace Portico.Core.Tests.SystemUsers;

/// <summary>What the built-in command policies allow, judged on the command line as NetScaler's policies are.</summary>
public sealed class CommandPolicyTests
{
    [Theory]
    [InlineData(CommandPolicy.ReadOnly, "show lb vserver web", true)]
    [InlineData(CommandPolicy.ReadOnly, "stat lb vserver", true)]
    [InlineData(CommandPolicy.ReadOnly, "show system user", false)]
    [InlineData(CommandPolicy.ReadOnly, "show ns runningConfig", false)]
    [InlineData(CommandPolicy.ReadOnly, "show audit", false)]
    [InlineData(CommandPolicy.ReadOnly, "disable server web1", false)]
    [InlineData(CommandPolicy.ReadOnly, "add lb vserver x HTTP 10.0.0.1 80", false)]
    [InlineData(CommandPolicy.ReadOnly, "showx lb vserver", false)]
    [InlineData(CommandPolicy.Operator, "disable server web1", true)]
    [InlineData(CommandPolicy.Operator, "enable service s1", true)]
    [InlineData(CommandPolicy.Operator, "save config", true)]
    [InlineData(CommandPolicy.Operator, "show lb vserver", true)]
    [InlineData(CommandPolicy.Operator, "rm server web1", false)]
    [InlineData(CommandPolicy.Operator, "add system user x long-enough-1", false)]
    [InlineData(CommandPolicy.Superuser, "add system user x long-enough-1", true)]
    public void A_policy_allows_what_netscaler_s_built_in_policy_allows(CommandPolicy policy, string line, bool allowed) =>
        Assert.Equal(allowed, CommandPolicies.Allows(policy, line));

    [Fact]
    public void A_hash_verifies_only_its_password_and_a_tampered_hash_verifies_nothing()
    {
        var hash = PasswordHash.Create("long-enough-1", iterations: 1000);
        Assert.True(PasswordHash.Verify("long-enough-1", hash));
        Assert.False(PasswordHash.Verify("long-enough-2", hash));
        Assert.NotEqual(hash, PasswordHash.Create("long-enough-1", iterations: 1000));
        var parts = hash.Split('$');
        Assert.False(PasswordHash.Verify("long-enough-1", string.Join('$', parts[0], "999", parts[2], parts[3])));
        Assert.False(PasswordHash.Verify("long-enough-1", string.Join('$', parts[0], parts[1], parts[2], "!!")));
    }
}

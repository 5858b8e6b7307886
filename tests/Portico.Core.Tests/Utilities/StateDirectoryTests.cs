using Portico.Utilities;

namespace Portico.Core.Tests.Utilities;

/// <summary>Default directories for the history log and captures: absolute whatever account runs Portico.</summary>
public class StateDirectoryTests
{
    private static string For(string user, string? home, Dictionary<string, string>? env = null, params string[] existing) =>
        StateDirectory.Default("PORTICO_LOG_DIR", "/var/log/portico", ["trace"], name => env?.GetValueOrDefault(name), user, home,
            existing.Contains, "/tmp/");

    [Fact]
    public void The_operator_s_variable_wins_then_root_gets_the_system_path()
    {
        Assert.Equal("/srv/logs", For("alice", "/home/alice", new() { ["PORTICO_LOG_DIR"] = "/srv/logs" }, "/home/alice"));
        Assert.Equal("/var/log/portico", For("root", "/root", null, "/root"));
    }

    [Fact]
    public void A_systemd_service_uses_its_state_directory()
    {
        Assert.Equal("/var/lib/portico/trace", For("portico", "/nonexistent", new() { ["STATE_DIRECTORY"] = "/var/lib/portico:/var/lib/other" }));
    }

    [Fact]
    public void A_user_with_a_home_gets_the_xdg_state_directory()
    {
        Assert.Equal("/home/alice/.local/state/portico/trace", For("alice", "/home/alice", null, "/home/alice"));
        Assert.Equal("/xdg/portico/trace", For("alice", "/home/alice", new() { ["XDG_STATE_HOME"] = "/xdg" }, "/home/alice"));
    }

    [Theory]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("/nonexistent")]
    [InlineData("relative/home")]
    public void A_service_account_without_a_home_gets_an_absolute_path(string? home)
    {
        var path = For("portico", home, new() { ["XDG_STATE_HOME"] = "relative" });
        Assert.Equal("/tmp/portico-portico/state/trace", path);
    }
}

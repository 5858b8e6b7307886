using Portico.Install;
using Portico.Testing;

namespace Portico.Tests.Install;

/// <summary>An installed Portico (binary under /usr) reads /etc/portico/portico.conf; a build anywhere else runs the demo.</summary>
public class InstallLayoutTests
{
    [Theory]
    [InlineData("/usr/lib/portico/", true)]
    [InlineData("/usr/local/lib/portico/", true)]
    [InlineData("/work/portico/src/Portico/bin/Release/net10.0/", false)]
    [InlineData("/opt/usrlib/portico/", false)]
    [InlineData("/usr", false)]
    public void Installed_means_the_binary_lives_under_usr(string baseDirectory, bool installed)
    {
        Assert.Equal(installed, InstallLayout.IsInstalled(baseDirectory));
    }

    [Fact]
    public void This_build_is_not_installed_so_run_without_config_serves_the_demo()
    {
        Assert.False(InstallLayout.Installed);
    }

    [Fact]
    public async Task Demo_and_config_together_are_refused()
    {
        var dir = Directory.CreateTempSubdirectory().FullName;
        var path = Path.Combine(dir, "p.conf");
        await File.WriteAllTextAsync(path, "");
        var (code, text) = await PorticoProcess.RunAsync(["run", "--demo", "--config", path, "--admin-socket", Path.Combine(dir, "a.sock")]);
        Assert.Equal(2, code);
        Assert.Contains("--demo runs the embedded demo config; it cannot be combined with --config", text);
    }
}

using Portico.Testing;

namespace Portico.Tests.Verbs;

public class ConfigCheckVerbTests
{
    [Fact]
    public async Task A_good_file_passes_and_its_unsupported_lines_are_listed_by_number()
    {
        var path = Write("add server s1 10.0.0.1\nadd vpn vserver vpn1 SSL 10.0.0.2 443\nadd service svc1 s1 TCP 80 -CKA YES\n");
        var (code, text) = await PorticoProcess.RunAsync(["config", "check", path]);
        Assert.True(code == 0, text);
        Assert.Contains("line 1: applied: add server s1 10.0.0.1\n", text);
        Assert.Contains("line 2: unsupported: add vpn vserver vpn1 SSL 10.0.0.2 443\n    'add vpn vserver' is not supported by Portico\n", text);
        Assert.Contains("line 3: kept without effect: add service svc1 s1 TCP 80 -CKA YES\n    -CKA YES is kept but has no effect in Portico\n", text);
        Assert.Contains("OK: a running Portico accepts this file; 1 line(s) kept but not supported", text);
    }

    [Fact]
    public async Task A_bad_file_fails_with_every_error_located()
    {
        var path = Write("add server s1 10.0.0.1\nadd lb vserver v TCP 10.0.0.5 80 -lbMethod FASTEST\nbind lb vserver v nosuch\n");
        var (code, text) = await PorticoProcess.RunAsync(["config", "check", path]);
        Assert.Equal(1, code);
        Assert.Contains("line 2: rejected: add lb vserver v TCP 10.0.0.5 80 -lbMethod FASTEST\n    column 44: 'FASTEST': expected an LB method", text);
        Assert.Contains("line 3: rejected: bind lb vserver v nosuch\n    refers to 'v', which line 2 defines but was set aside", text);
        Assert.Contains("2 error(s); a running Portico would refuse this file", text);
        Assert.Contains("  line 2, column 44: 'FASTEST': expected an LB method", text);
    }

    private static string Write(string text)
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory().FullName, "portico.conf");
        File.WriteAllText(path, text);
        return path;
    }
}

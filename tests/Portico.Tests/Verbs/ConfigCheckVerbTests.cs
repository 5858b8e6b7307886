using Portico.Testing;

namespace Portico.Tests.Verbs;

public class ConfigCheckVerbTests
{
    [Fact]
    public async Task A_good_file_passes_and_its_unsupported_lines_are_listed_by_number()
    {
        var path = Write("add server s1 10.0.0.1\nadd cs vserver cs1 HTTP 10.0.0.2 80\nadd service svc1 s1 TCP 80 -CKA NO\n");
        var (code, text) = await PorticoProcess.RunAsync(["config", "check", path]);
        Assert.True(code == 0, text);
        Assert.Contains("line 2: 'add cs vserver' is not supported by Portico", text);
        Assert.Contains("note: line 3: -CKA NO is kept but has no effect", text);
        Assert.Contains("OK: 2 command(s)", text);
    }

    [Fact]
    public async Task A_bad_file_fails_with_every_error_located()
    {
        var path = Write("add server s1 10.0.0.1\nadd lb vserver v TCP 10.0.0.5 80 -lbMethod FASTEST\nbind lb vserver v nosuch\n");
        var (code, text) = await PorticoProcess.RunAsync(["config", "check", path]);
        Assert.Equal(1, code);
        Assert.Contains("line 2, column 44: 'FASTEST': expected an LB method", text);
        Assert.Contains("line 3", text);
        Assert.Contains("a running Portico would refuse this file", text);
    }

    private static string Write(string text)
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory().FullName, "portico.conf");
        File.WriteAllText(path, text);
        return path;
    }
}

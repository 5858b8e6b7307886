using Portico.Testing;

namespace Portico.Tests.Verbs;

/// <summary>
/// <c>portico config check</c> on persistence options: SOURCEIP is applied on every vserver type, and what a
/// vserver cannot act on is reported line by line as kept without effect, never accepted in silence.
/// </summary>
public class ConfigCheckPersistenceTests
{
    [Fact]
    public async Task Persistence_a_vserver_cannot_act_on_is_kept_without_effect_and_sourceip_on_l4_is_applied()
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory().FullName, "portico.conf");
        await File.WriteAllTextAsync(path, """
            add lb vserver t TCP 10.0.0.5 80 -persistenceType SOURCEIP -timeout 5
            add lb vserver u UDP 10.0.0.5 53 -persistenceType SOURCEIP
            add lb vserver c TCP 10.0.0.5 81 -persistenceType COOKIEINSERT
            add lb vserver n TCP 10.0.0.5 82 -timeout 5
            add lb vserver z ANY 10.0.0.5 83 -persistenceType SOURCEIP -timeout 0
            add lb vserver s TCP 10.0.0.5 84 -persistenceType SSLSESSION
            add lb vserver b HTTP 10.0.0.5 85 -persistenceType SOURCEIP -persistenceBackup SOURCEIP
            """);
        var (code, text) = await PorticoProcess.RunAsync(["config", "check", path]);
        Assert.True(code == 0, text);
        Assert.Contains("line 1: applied: add lb vserver t TCP 10.0.0.5 80 -persistenceType SOURCEIP -timeout 5\n", text);
        Assert.Contains("line 2: applied: add lb vserver u UDP 10.0.0.5 53 -persistenceType SOURCEIP\n", text);
        Assert.Contains("line 3: kept without effect: add lb vserver c TCP 10.0.0.5 81 -persistenceType COOKIEINSERT\n"
            + "    -persistenceType COOKIEINSERT has no effect on a TCP vserver", text);
        Assert.Contains("line 4: kept without effect: add lb vserver n TCP 10.0.0.5 82 -timeout 5\n"
            + "    -timeout has no effect: the vserver has no persistence", text);
        Assert.Contains("line 5: kept without effect: add lb vserver z ANY 10.0.0.5 83 -persistenceType SOURCEIP -timeout 0\n"
            + "    -timeout 0 has no effect with SOURCEIP", text);
        Assert.Contains("line 6: kept without effect: add lb vserver s TCP 10.0.0.5 84 -persistenceType SSLSESSION\n"
            + "    persistence type SSLSESSION is not supported by Portico; -persistenceType is kept but has no effect", text);
        Assert.Contains("line 7: kept without effect: add lb vserver b HTTP 10.0.0.5 85 -persistenceType SOURCEIP -persistenceBackup SOURCEIP\n"
            + "    -persistenceBackup SOURCEIP is kept but has no effect in Portico", text);
    }
}

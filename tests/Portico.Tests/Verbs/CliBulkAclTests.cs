using System.Diagnostics;
using Portico.Acl;
using Portico.Testing;

namespace Portico.Tests.Verbs;

/// <summary>fail2ban-style blocking from outside: thousands of simple ACLs in one <c>portico cli</c> batch, all or nothing.</summary>
public class CliBulkAclTests
{
    [Fact]
    public async Task Ten_thousand_simple_acls_apply_in_one_batch_and_a_bad_line_applies_none()
    {
        await using var host = await PorticoHost.StartAsync("");
        var dir = Directory.CreateTempSubdirectory("portico-bulk-").FullName;
        var lines = Enumerable.Range(0, 10_000).Select(i => $"add ns simpleacl ban{i} DENY -srcIP 198.18.{i / 256}.{i % 256} -TTL 3600").ToList();
        var good = Path.Combine(dir, "bans.txt");
        await File.WriteAllLinesAsync(good, lines);

        var watch = Stopwatch.StartNew();
        var (code, output) = await PorticoProcess.RunAsync(["cli", "--admin-socket", host.AdminSocket, "-f", good]);
        Assert.True(code == 0, output);
        Assert.Equal(10_000, host.Engine.Store.Current.SimpleAcls.LiveCount(AclFamily.V4, DateTime.UtcNow.Ticks));

        // The next wave has one line with a TTL NetScaler refuses: nothing of it applies, and the error names it.
        var next = Enumerable.Range(0, 10_000).Select(i => $"add ns simpleacl wave{i} DENY -srcIP 198.19.{i / 256}.{i % 256} -TTL 600").ToList();
        next[7777] = "add ns simpleacl wave7777 DENY -srcIP 198.19.30.97 -TTL 601";
        var bad = Path.Combine(dir, "wave.txt");
        await File.WriteAllLinesAsync(bad, next);
        var (failed, shown) = await PorticoProcess.RunAsync(["cli", "--admin-socket", host.AdminSocket, "-f", bad]);
        Assert.Equal(1, failed);
        Assert.Contains("line 7778, column 57: '601': expected a TTL in seconds that is a multiple of 4", shown);
        Assert.Equal(10_000, host.Engine.Store.Current.SimpleAcls.StoredCount);

        // Piped on standard input, as a script would feed it.
        var (piped, pipedOutput) = await PorticoProcess.RunAsync(["cli", "--admin-socket", host.AdminSocket],
            input: string.Join('\n', next.Take(7777).Concat(next.Skip(7778))));
        Assert.True(piped == 0, pipedOutput);
        Assert.Equal(19_999, host.Engine.Store.Current.SimpleAcls.StoredCount);
        Assert.True(watch.Elapsed < TimeSpan.FromMinutes(2), $"took {watch.Elapsed}");
    }
}

using Portico.Scenarios.Lab;

namespace Portico.Scenarios.Dsr;

/// <summary>
/// The flow table keeps established connections on their server when a server joins (Maglev section 3.3):
/// without it, about a third of them would be sent to the newcomer, which knows nothing of them and resets them.
/// </summary>
public class DsrFlowTableTests
{
    [SkippableFact]
    public async Task Established_connections_stay_on_their_server_when_a_server_joins()
    {
        DsrLab.SkipUnlessAvailable();
        await using var lab = await DsrLab.CreateAsync(realServers: 3);
        for (var i = 1; i <= 3; i++)
        {
            await lab.StartRealServerAsync(i);
        }

        await lab.StartPorticoAsync(DsrConfig.For(3, bound: 2));
        await lab.WaitForDsrAsync("2/2 server(s) answer ARP", TimeSpan.FromSeconds(20));

        var ports = Enumerable.Range(45001, 60).Select(p => p.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var client = lab.StartIn("client", ["python3", DsrLab.Script("dsr-client.py"), DsrLab.Vip, "80", "hold", .. ports]);
        Assert.True(await client.WaitForOutputAsync("held", TimeSpan.FromSeconds(30)), client.Output);
        var first = DsrLab.Parse(client.Output);
        Assert.Equal(60, first.Count);
        Assert.All(first.Values, a => Assert.Matches("^rs[12]$", a));

        await lab.CliAsync("bind lb vserver web_dsr web_rs3");
        await lab.WaitForDsrAsync("3/3 server(s) answer ARP", TimeSpan.FromSeconds(15));
        await lab.WaitForDsrAsync(" 3/3 ", TimeSpan.FromSeconds(5));

        var mark = client.Output.Length;
        await client.Input.WriteLineAsync("go");
        await client.Input.FlushAsync();
        await client.WaitForExitAsync(TimeSpan.FromSeconds(30));
        var second = DsrLab.Parse(client.Output[mark..]);
        Assert.Equal(60, second.Count);
        Assert.All(first, f => Assert.Equal(f.Value, second[f.Key]));

        // New connections do reach the server that joined.
        var fresh = await lab.RequestAsync(Enumerable.Range(46001, 60));
        Assert.Contains("rs3", fresh.Values);
    }
}

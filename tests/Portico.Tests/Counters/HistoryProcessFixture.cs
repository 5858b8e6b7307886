using System.Net;
using Portico.Counters.History;
using Portico.Testing;

namespace Portico.Tests.Counters;

/// <summary>
/// One real <c>portico run</c> for the counters tests: a TCP vserver over two backends, sampling every
/// second into a temporary log directory, /metrics on a free loopback port. It carries traffic, then one
/// backend dies so its monitor records a SERVICE_DOWN event; the tests read what the process wrote.
/// </summary>
public sealed class HistoryProcessFixture : IAsyncLifetime
{
    private TestTcpServer? _b1;
    private TestTcpServer? _b2;

    public string LogDir { get; } = Directory.CreateTempSubdirectory("portico-counters-").FullName;

    public PorticoProcess Portico { get; private set; } = null!;

    public int MetricsPort { get; } = Ports.Free();

    public IPEndPoint Vip { get; } = new(IPAddress.Loopback, Ports.Free());

    public string CurrentFile => Path.Combine(LogDir, HistoryFormat.CurrentName);

    public async Task InitializeAsync()
    {
        _b1 = TestTcpServer.Start("b1");
        _b2 = TestTcpServer.Start("b2");
        var config = Path.Combine(LogDir, "portico.conf");
        await File.WriteAllTextAsync(config, $"""
            set ns counters -interval 1
            add lb monitor fast TCP -interval 300 MSEC -resptimeout 250 MSEC -retries 2
            add service s1 127.0.0.1 TCP {_b1.Port}
            add service s2 127.0.0.1 TCP {_b2.Port}
            bind service s1 -monitorName fast
            bind service s2 -monitorName fast
            add lb vserver web TCP {Vip.Address} {Vip.Port} -lbMethod ROUNDROBIN
            bind lb vserver web s1
            bind lb vserver web s2
            """);
        Portico = PorticoProcess.Start("run", "-f", config, "--log-dir", LogDir, "--admin-socket", Path.Combine(LogDir, "admin.sock"),
            "--admin-http", $"127.0.0.1:{MetricsPort}");
        if (!await Portico.WaitForOutputAsync("Portico is running", TimeSpan.FromSeconds(30)))
        {
            throw new InvalidOperationException("portico run did not start:\n" + Portico.Output);
        }

        for (var i = 0; i < 10; i++)
        {
            await TestClient.WhoAnswersAsync(Vip);
        }

        await WaitForSamplesAsync(3);
        await _b2.KillAsync();
        if (!await Eventually.TrueAsync(() => File.Exists(CurrentFile) && new FileInfo(CurrentFile).Length > 0 && Events().Contains("SERVICE_DOWN"), TimeSpan.FromSeconds(15)))
        {
            throw new InvalidOperationException("no SERVICE_DOWN reached the history log:\n" + Portico.Output);
        }

        await WaitForSamplesAsync(5);
    }

    private string Events()
    {
        try
        {
            var (_, items) = HistoryReader.ReadAll(CurrentFile);
            return string.Join('\n', items.OfType<HistoryEvent>().Select(e => e.Event.ToString()));
        }
        catch (IOException)
        {
            return "";
        }
    }

    private async Task WaitForSamplesAsync(int count)
    {
        bool Enough()
        {
            try
            {
                return File.Exists(CurrentFile) && HistoryReader.ReadAll(CurrentFile).Items.OfType<HistorySample>().Count() >= count;
            }
            catch (IOException)
            {
                return false;
            }
        }

        if (!await Eventually.TrueAsync(Enough, TimeSpan.FromSeconds(20)))
        {
            throw new InvalidOperationException($"fewer than {count} samples in {CurrentFile}:\n" + Portico.Output);
        }
    }

    /// <summary>Runs <c>portico counters --log-dir LogDir ...</c>.</summary>
    public Task<(int ExitCode, string Output)> CountersAsync(params string[] args) =>
        PorticoProcess.RunAsync(["counters", "--log-dir", LogDir, .. args]);

    public async Task DisposeAsync()
    {
        await Portico.DisposeAsync();
        if (_b1 is not null)
        {
            await _b1.DisposeAsync();
        }

        if (_b2 is not null)
        {
            await _b2.DisposeAsync();
        }

        Directory.Delete(LogDir, recursive: true);
    }
}

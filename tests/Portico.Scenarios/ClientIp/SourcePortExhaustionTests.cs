using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Portico.Testing;

using Portico.Scenarios.Lab;

namespace Portico.Scenarios.ClientIp;

/// <summary>
/// The 65K wall, made small: in a namespace whose ephemeral range holds 300 ports, one SNIP carries 300
/// connections to one server ip:port and the next clients are refused at once, counted and reported;
/// two SNIPs carry twice as many; with USIP the same limit applies per client address. No client is left
/// without an answer.
/// </summary>
public sealed class SourcePortExhaustionTests
{
    private const int Ports = 300;

    [SkippableFact]
    public async Task One_snip_exhausts_and_is_reported_two_snips_carry_twice_as_many_and_no_client_hangs()
    {
        Netns.SkipUnlessAvailable();
        await using var lab = ClientIpLab.Create();
        await lab.AddNamespaceAsync("lb");
        await lab.ExecAsync("lb", "sysctl", "-qw", $"net.ipv4.ip_local_port_range=40000 {40000 + Ports - 1}");
        await using var b1 = Netns.Create(lab.Ns("lb"), () => TestTcpServer.Start("b1", IPAddress.Loopback, 9001));
        await using var b2 = Netns.Create(lab.Ns("lb"), () => TestTcpServer.Start("b2", IPAddress.Loopback, 9002));
        await lab.StartPorticoAsync("lb", """
            add ns ip 127.0.0.2 255.0.0.0 -type SNIP
            add service s1 127.0.0.1 TCP 9001
            add lb vserver v1 TCP 127.0.0.1 8001
            bind lb vserver v1 s1
            """);

        // (a) One SNIP: 300 connections to 127.0.0.1:9001, then refusals, each answered at once.
        var (held, refused, slowest) = await OpenAsync(lab, 8001, Ports + 30);
        Assert.InRange(held.Count, Ports - 5, Ports);
        Assert.Equal(Ports + 30, held.Count + refused);
        Assert.InRange(slowest, 0, 3000);
        Assert.Equal(Ports + 30, Enumerable.Count(held, s => s.Connected) + refused);

        var stat = await lab.CliAsync("stat lb vserver v1");
        Assert.True(stat.Contains($"{refused} connection(s) refused for want of one", StringComparison.Ordinal), stat + lab.Portico!.Output);
        Assert.Contains("s1 (127.0.0.1:9001)", stat, StringComparison.Ordinal);
        Assert.Contains("STARVED", stat, StringComparison.Ordinal);
        Assert.Contains("add a SNIP in the server's subnet", stat, StringComparison.Ordinal);
        Assert.Contains("SOURCE_PORTS_STARVED s1: lb vserver v1: no free source port from 1 SNIP 127.0.0.2 to 127.0.0.1:9001",
            await lab.CliAsync("show ns events"), StringComparison.Ordinal);
        Assert.Contains("no free source port toward service s1", lab.Portico!.Output, StringComparison.Ordinal);
        var metrics = await lab.ExecAsync("lb", "curl", "-sS", "--max-time", "10", "http://127.0.0.1:9190/metrics");
        Assert.Equal(refused, Sample(metrics, "portico_l4_source_ports_exhausted_total", "vserver=\"v1\""));
        Assert.Equal(1, Sample(metrics, "portico_service_source_ports_starved", "service=\"s1\""));

        // Freed ports serve again: the episode ends and says so.
        Close(held);
        Assert.True(await Eventually.TrueAsync(() => b1.Current == 0, TimeSpan.FromSeconds(10)));
        // Portico closed those server connections first, so their ports sit in TIME_WAIT; the kernel reuses one
        // for loopback (tcp_tw_reuse=2) once its last timestamp is a second old: try a few times, bounded.
        var served = false;
        for (var attempt = 0; attempt < 10 && !served; attempt++)
        {
            var (again, _, _) = await OpenAsync(lab, 8001, 1);
            served = again.Count == 1;
            Close(again);
            if (!served)
            {
                await Task.Delay(500);
            }
        }

        if (!served)
        {
            var ss = await lab.ExecAsync("lb", "ss", "-tan");
            Assert.Fail("no connection was served again within 5 s of the ports being freed\n" + ss[..Math.Min(ss.Length, 3000)]
                + "\nstates: " + string.Join(", ", ss.Split('\n').Skip(1).GroupBy(l => l.Split(' ')[0]).Select(g => $"{g.Key}={g.Count()}"))
                + "\n" + await lab.CliAsync("stat lb vserver v1") + lab.Portico!.Output[^Math.Min(lab.Portico.Output.Length, 3000)..]);
        }
        Assert.Contains("SOURCE_PORTS_AVAILABLE s1", await lab.CliAsync("show ns events"), StringComparison.Ordinal);

        // Health probes that found no source port gave no verdict: the server was never marked DOWN for it.
        Assert.DoesNotContain("is DOWN", lab.Portico!.Output, StringComparison.Ordinal);

        // (b) Two SNIPs toward a fresh server ip:port: twice as many concurrent server connections.
        await lab.CliAsync("""
            add ns ip 127.0.0.3 255.0.0.0 -type SNIP
            add service s2 127.0.0.1 TCP 9002
            add lb vserver v2 TCP 127.0.0.1 8002
            bind lb vserver v2 s2
            """);
        var (twice, refused2, slowest2) = await OpenAsync(lab, 8002, (2 * Ports) + 30);
        Assert.InRange(twice.Count, (2 * Ports) - 10, 2 * Ports);
        Assert.Equal((2 * Ports) + 30, twice.Count + refused2);
        Assert.InRange(slowest2, 0, 3000);
        Assert.Equal(twice.Count, b2.Current);
        var peers = b2.Peers.Select(p => p.Address).Distinct().Order(Comparer<IPAddress>.Create((x, y) => string.CompareOrdinal(x.ToString(), y.ToString())));
        Assert.Equal([IPAddress.Parse("127.0.0.2"), IPAddress.Parse("127.0.0.3")], peers);
        Assert.Contains("from 127.0.0.2, 127.0.0.3: 600 (2 x 300)", await lab.CliAsync("stat lb vserver v2"), StringComparison.Ordinal);
        Close(twice);
    }

    [SkippableFact]
    public async Task With_usip_the_same_wall_stands_per_client_address_and_is_reported_the_same_way()
    {
        Netns.SkipUnlessAvailable();
        await using var lab = ClientIpLab.Create();
        await lab.AddNamespaceAsync("lb");
        await lab.ExecAsync("lb", "sysctl", "-qw", $"net.ipv4.ip_local_port_range=40000 {40000 + Ports - 1}");
        await using var b1 = Netns.Create(lab.Ns("lb"), () => TestTcpServer.Start("b1", IPAddress.Loopback, 9001));
        await lab.StartPorticoAsync("lb", """
            add service s1 127.0.0.1 TCP 9001 -usip YES
            add lb vserver v1 TCP 127.0.0.1 8001
            add lb vserver v2 TCP 127.0.0.1 8002
            bind lb vserver v1 s1
            bind lb vserver v2 s1
            """);

        // Every client comes from 127.1.0.1: the server sees that address, and it has 300 ports toward 9001.
        // (The clients reach two vservers, 160 each, so that their own ports toward a VIP never run out.)
        var (held, refused, slowest) = await OpenAsync(lab, 8001, 160, clientAddresses: 1);
        var (held2, refused2, slowest2) = await OpenAsync(lab, 8002, 160, clientAddresses: 1);
        held.AddRange(held2);
        refused += refused2;
        Assert.InRange(held.Count, Ports - 5, Ports);
        Assert.Equal(320, held.Count + refused);
        Assert.InRange(Math.Max(slowest, slowest2), 0, 3000);
        // Health probes leave from Portico's own address (127.0.0.1); every proxied connection from the client's.
        var peers = b1.Peers.ToArray().Where(p => !p.Address.Equals(IPAddress.Loopback)).ToList();

        Assert.All(peers, p => Assert.Equal(IPAddress.Parse("127.1.0.1"), p.Address));
        Assert.InRange(peers.Count, held.Count, Ports);
        var stat = await lab.CliAsync("stat lb vserver v2");
        Assert.True(stat.Contains($"{refused2} connection(s) refused for want of one", StringComparison.Ordinal), stat);
        Assert.Contains($"refused {refused}", stat, StringComparison.Ordinal);
        Assert.Contains("client 127.1.0.1 already holds a connection to 127.0.0.1:9001", stat, StringComparison.Ordinal);
        Close(held);
    }

    /// <summary>
    /// Opens <paramref name="count"/> client connections (from 127.1.0.x, 100 per address so the clients' own
    /// ports never run out) and waits for each to be answered: the backend's greeting (held), or a reset or
    /// close (refused). Returns the held sockets, the refusals and the slowest answer in milliseconds.
    /// </summary>
    private static async Task<(List<Socket> Held, int Refused, long SlowestMs)> OpenAsync(ClientIpLab lab, int port, int count, int clientAddresses = 0)
    {
        var vip = new IPEndPoint(IPAddress.Loopback, port);
        var held = new List<Socket>();
        var refused = 0;
        var slowest = 0L;
        for (var i = 0; i < count; i++)
        {
            var source = IPAddress.Parse($"127.1.0.{1 + (clientAddresses > 0 ? i % clientAddresses : i / 100)}");
            var socket = Netns.Create(lab.Ns("lb"), () =>
            {
                var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                s.SetRawSocketOption(0, 24, [1, 0, 0, 0]); // IP_BIND_ADDRESS_NO_PORT: the port comes with connect
                s.Bind(new IPEndPoint(source, 0));
                return s;
            });
            var watch = Stopwatch.StartNew();
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await socket.ConnectAsync(vip, cts.Token);
                var name = await TestClient.ReadLineAsync(socket, cts.Token);
                Assert.StartsWith("b", name, StringComparison.Ordinal);
                held.Add(socket);
            }
            catch (Exception e) when (e is SocketException or IOException)
            {
                refused++;
                socket.Dispose();
            }

            slowest = Math.Max(slowest, watch.ElapsedMilliseconds);
        }

        return (held, refused, slowest);
    }

    private static void Close(List<Socket> sockets)
    {
        foreach (var s in sockets)
        {
            s.Dispose();
        }

        sockets.Clear();
    }

    /// <summary>The value of one sample of Prometheus text: the line of <paramref name="name"/> whose labels hold <paramref name="label"/>.</summary>
    private static long Sample(string metrics, string name, string label)
    {
        var line = metrics.Split('\n').FirstOrDefault(l => l.StartsWith(name + "{", StringComparison.Ordinal) && l.Contains(label, StringComparison.Ordinal));
        Assert.True(line is not null, $"no {name} sample with {label} in /metrics:\n{metrics}");
        return (long)double.Parse(line!.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
    }
}

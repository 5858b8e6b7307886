using System.Net;
using System.Net.Sockets;
using System.Text;
using Portico.Testing;

using Portico.Scenarios.Lab;

namespace Portico.Scenarios.ClientIp;

/// <summary>
/// USIP across namespaces on one bridge: a client on 10.98.0.0/24, Portico on both subnets, two servers on
/// 10.99.0.0/24 whose default route is Portico. The servers see the client's own address (and, with
/// -useproxyport NO, its own port), and their replies find their way back through Portico's TPROXY route.
/// </summary>
public sealed class UsipScenarioTests
{
    private static readonly IPAddress Client = IPAddress.Parse("10.98.0.10");

    [SkippableFact]
    public async Task Servers_see_the_clients_address_and_port_and_replies_flow_back()
    {
        Netns.SkipUnlessAvailable();
        await using var lab = ClientIpLab.Create();
        await lab.AddHostAsync("client", "10.98.0.10/24");
        await lab.AddHostAsync("lb", "10.98.0.2/24", "10.99.0.2/24");
        await lab.AddHostAsync("rs1", "10.99.0.11/24");
        await lab.AddHostAsync("rs2", "10.99.0.12/24");

        // The servers answer the client through Portico (the routing USIP needs on the server side).
        await lab.ExecAsync("rs1", "ip", "route", "add", "default", "via", "10.99.0.2");
        await lab.ExecAsync("rs2", "ip", "route", "add", "default", "via", "10.99.0.2");

        // Portico's host: replies addressed to a client address arrive for a transparent socket; deliver them locally.
        await lab.ExecAsync("lb", "iptables", "-t", "mangle", "-A", "PREROUTING", "-m", "socket", "--transparent", "-j", "MARK", "--set-mark", "1");
        await lab.ExecAsync("lb", "ip", "rule", "add", "fwmark", "1", "lookup", "100");
        await lab.ExecAsync("lb", "ip", "route", "add", "local", "0.0.0.0/0", "dev", "lo", "table", "100");

        await using var rs1 = Netns.Create(lab.Ns("rs1"), () => TestTcpServer.Start("rs1", IPAddress.Parse("10.99.0.11"), 8080));
        await using var rs2 = Netns.Create(lab.Ns("rs2"), () => TestTcpServer.Start("rs2", IPAddress.Parse("10.99.0.12"), 8080));
        await lab.StartPorticoAsync("lb", """
            enable ns mode USIP
            add service s1 10.99.0.11 TCP 8080 -useproxyport NO
            add service s2 10.99.0.12 TCP 8080
            add lb vserver v TCP 10.98.0.2 80 -lbMethod ROUNDROBIN
            bind lb vserver v s1
            bind lb vserver v s2
            """);

        var seen = new Dictionary<string, List<(IPEndPoint Client, IPEndPoint Peer)>> { ["rs1"] = [], ["rs2"] = [] };
        for (var i = 0; i < 4; i++)
        {
            var (name, local) = await EchoAsync(lab, $"hello {i}");
            var server = name == "rs1" ? rs1 : rs2;

            // Talkers, not Peers: a health probe connects too, but sends nothing.
            Assert.True(await Eventually.TrueAsync(() => Count(server) > seen[name].Count, TimeSpan.FromSeconds(5)));
            lock (server.Talkers)
            {
                seen[name].Add((local, server.Talkers[seen[name].Count]));
            }
        }

        // Round robin: both servers; each saw the client's address; s1 (-useproxyport NO) its port too.
        Assert.Equal(2, seen["rs1"].Count);
        Assert.Equal(2, seen["rs2"].Count);
        Assert.All(seen["rs1"], x => Assert.Equal(x.Client, x.Peer));
        Assert.All(seen["rs2"], x => Assert.Equal(Client, x.Peer.Address));

        // Without USIP the same server sees Portico's own address: the mode, not the lab, makes the difference.
        await lab.CliAsync("set service s2 -usip NO");
        for (var i = 0; i < 2; i++)
        {
            await EchoAsync(lab, "plain");
        }

        Assert.True(await Eventually.TrueAsync(() => Count(rs2) == 3, TimeSpan.FromSeconds(5)), $"rs2 served {Count(rs2)} client(s), expected 3");
        lock (rs2.Talkers)
        {
            Assert.Equal(IPAddress.Parse("10.99.0.2"), rs2.Talkers[2].Address);
        }
        Assert.Contains("s1: USIP (client's port)", await lab.CliAsync("stat lb vserver v"), StringComparison.Ordinal);
    }

    private static int Count(TestTcpServer server)
    {
        lock (server.Talkers)
        {
            return server.Talkers.Count;
        }
    }

    /// <summary>One connection from the client namespace: the server's greeting, then a line echoed back through Portico.</summary>
    private static async Task<(string Server, IPEndPoint Local)> EchoAsync(ClientIpLab lab, string text)
    {
        using var socket = Netns.Create(lab.Ns("client"), () => new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp));
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Parse("10.98.0.2"), 80), cts.Token);
        var local = (IPEndPoint)socket.LocalEndPoint!;
        var name = await TestClient.ReadLineAsync(socket, cts.Token);
        await socket.SendAsync(Encoding.ASCII.GetBytes(text + "\n"), SocketFlags.None, cts.Token);
        Assert.Equal(text, await TestClient.ReadLineAsync(socket, cts.Token));
        return (name, local);
    }
}

using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using Portico.Testing;

namespace Portico.Core.Tests.Syslog;

/// <summary><c>set audit syslogParams</c>: every event goes to a syslog server as one RFC 5424 datagram over UDP.</summary>
public class SyslogForwarderTests
{
    private static async Task<string> ReceiveAsync(UdpClient server, string containing)
    {
        using var cts = new CancellationTokenSource(Eventually.Timeout);
        while (true)
        {
            var datagram = await server.ReceiveAsync(cts.Token);
            var text = Encoding.UTF8.GetString(datagram.Buffer);
            if (text.Contains(containing, StringComparison.Ordinal))
            {
                return text;
            }
        }
    }

    [Fact]
    public async Task An_event_reaches_the_syslog_server_as_an_RFC_5424_message()
    {
        using var syslog = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var port = ((IPEndPoint)syslog.Client.LocalEndPoint!).Port;
        await using var backend = TestTcpServer.Start("b1");
        await using var host = await PorticoHost.StartAsync(
            $"add service s1 127.0.0.1 TCP {backend.Port}\nset audit syslogParams -serverIP 127.0.0.1 -serverPort {port} -logFacility LOCAL3\n");

        await host.MustApplyAsync("disable service s1");
        var message = await ReceiveAsync(syslog, "SERVICE_OUT_OF_SERVICE");

        // <PRI>: LOCAL3 is facility 19, an out-of-service member a warning (4): 19 * 8 + 4 = 156.
        Assert.Matches(new Regex($@"^<156>1 \d{{4}}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{{3}}Z {Regex.Escape(Environment.MachineName)} portico \d+ SERVICE_OUT_OF_SERVICE - s1: "),
            message);
    }

    [Fact]
    public async Task Unset_stops_the_datagrams_and_show_counts_them()
    {
        using var syslog = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var port = ((IPEndPoint)syslog.Client.LocalEndPoint!).Port;
        await using var backend = TestTcpServer.Start("b1");
        await using var host = await PorticoHost.StartAsync($"add service s1 127.0.0.1 TCP {backend.Port}\nset audit syslogParams -serverIP 127.0.0.1 -serverPort {port}\n");
        await host.MustApplyAsync("disable service s1");
        await ReceiveAsync(syslog, "SERVICE_OUT_OF_SERVICE");

        var shown = string.Concat((await host.MustApplyAsync("show audit syslogParams")).Output);
        Assert.Contains($"Server: 127.0.0.1:{port} (UDP, RFC 5424)  Facility: LOCAL0", shown);
        Assert.Matches(@"Events sent: [1-9]", shown);

        await host.MustApplyAsync("unset audit syslogParams -serverIP");
        await host.MustApplyAsync("enable service s1\ndisable service s1\nenable service s1");
        Assert.Contains("Remote syslog: off", string.Concat((await host.MustApplyAsync("show audit syslogParams")).Output));

        // A marker datagram sent after: had Portico sent anything since the unset, it would arrive first.
        using var marker = new UdpClient();
        await marker.SendAsync(Encoding.UTF8.GetBytes("marker"), new IPEndPoint(IPAddress.Loopback, port));
        var next = await ReceiveAsync(syslog, "");
        Assert.Equal("marker", next);
    }

    [Fact]
    public async Task The_setting_is_saved_and_bad_values_name_the_option()
    {
        await using var host = await PorticoHost.StartAsync("set audit syslogParams -serverIP 192.0.2.1 -serverPort 1514 -logFacility LOCAL7 -dateFormat DDMMYYYY\n");
        var saved = string.Concat((await host.MustApplyAsync("show ns runningConfig")).Output);
        Assert.Contains("set audit syslogParams -serverIP 192.0.2.1 -serverPort 1514 -logFacility LOCAL7 -dateFormat DDMMYYYY", saved);

        var bad = await host.ApplyAsync("set audit syslogParams -logFacility LOCAL9");
        Assert.False(bad.Applied);
        Assert.Contains("'LOCAL9': expected LOCAL0 .. LOCAL7", bad.Describe());

        await using var empty = await PorticoHost.StartAsync("");
        var noServer = await empty.ApplyAsync("set audit syslogParams -serverPort 1514");
        Assert.False(noServer.Applied);
        Assert.Contains("needs -serverIP", noServer.Describe());
    }
}

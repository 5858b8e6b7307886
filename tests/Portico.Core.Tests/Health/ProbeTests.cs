using System.Net;
using Portico.Health;
using Portico.Health.Probes;
using Portico.Testing;

namespace Portico.Core.Tests.Health;

/// <summary>Each monitor type against real servers on loopback: what it accepts, and the layer it names when it does not.</summary>
public class ProbeTests
{
    // Generous: these tests run beside others on 2 busy cores, and a stalled continuation must not pass for a timeout.
    private static LbMonitor Monitor(MonitorType type) => LbMonitor.Create("m", type) with
    {
        Interval = new MonitorTime(5, MonitorTimeUnit.Sec),
        ResponseTimeout = new MonitorTime(2, MonitorTimeUnit.Sec),
    };

    private static async Task<ProbeResult> Probe(LbMonitor monitor, IPEndPoint endpoint)
    {
        using var timeout = new CancellationTokenSource(monitor.ResponseTimeout.Span);
        return await HealthProbes.For(monitor.Type).ProbeAsync(new ProbeTarget(endpoint, null, monitor), timeout.Token);
    }

    [Fact]
    public async Task Tcp_passes_on_a_listener_and_names_a_refused_connect_L4CON()
    {
        await using var backend = TestTcpServer.Start("b1");
        Assert.Equal(ProbeStatus.L4OK, (await Probe(Monitor(MonitorType.Tcp), backend.EndPoint)).Status);
        var refused = await Probe(Monitor(MonitorType.Tcp), new IPEndPoint(IPAddress.Loopback, Ports.Free()));
        Assert.Equal(new ProbeResult(ProbeStatus.L4CON, "connection refused"), refused);
    }

    [Fact]
    public async Task A_host_that_drops_connects_is_a_connect_timeout_L4TOUT()
    {
        using var silent = await SilentBackend.StartAsync();
        var result = await Probe(Monitor(MonitorType.Tcp), silent.EndPoint);
        Assert.Equal(ProbeStatus.L4TOUT, result.Status);
        Assert.Contains("connect timeout after 2 s", result.Detail);
    }

    [Fact]
    public async Task Http_checks_the_status_against_respCode_and_sends_the_configured_request()
    {
        await using var backend = HttpBackend.Start();
        var monitor = Monitor(MonitorType.Http) with { HttpRequest = "GET /health", RespCodes = [new StatusRange(200, 299)] };
        Assert.Equal(new ProbeResult(ProbeStatus.L7OK, "HTTP 200"), await Probe(monitor, backend.EndPoint));
        Assert.Equal("GET /health HTTP/1.1", backend.RequestLines[0]);

        backend.Status = 503;
        Assert.Equal(new ProbeResult(ProbeStatus.L7STS, "wrong status 503 (expected 200-299)"), await Probe(monitor, backend.EndPoint));
    }

    [Fact]
    public async Task Http_names_a_silent_server_L7TOUT_and_a_non_http_one_L7RSP()
    {
        await using var backend = HttpBackend.Start();
        backend.Silent = true;
        var silent = await Probe(Monitor(MonitorType.Http), backend.EndPoint);
        Assert.Equal(ProbeStatus.L7TOUT, silent.Status);
        Assert.Contains("response timeout", silent.Detail);

        await using var notHttp = TestTcpServer.Start("not-http-at-all");
        var result = await Probe(Monitor(MonitorType.Http), notHttp.EndPoint);
        Assert.Equal(ProbeStatus.L7RSP, result.Status);
        Assert.Contains("not an HTTP response: 'not-http-at-all", result.Detail);
    }

    [Fact]
    public async Task Http_ecv_looks_for_recv_in_the_body_whatever_the_status()
    {
        await using var backend = HttpBackend.Start();
        backend.Body = "{\"status\":\"healthy\"}";
        backend.Status = 500;
        var monitor = Monitor(MonitorType.HttpEcv) with { Send = "GET /status", Recv = "healthy" };
        Assert.Equal(new ProbeResult(ProbeStatus.L7OK, "'healthy' found"), await Probe(monitor, backend.EndPoint));
        Assert.Equal("GET /status HTTP/1.1", backend.RequestLines[0]);

        backend.Body = "{\"status\":\"draining\"}";
        var mismatch = await Probe(monitor, backend.EndPoint);
        Assert.Equal(ProbeStatus.L7ECV, mismatch.Status);
        Assert.Equal("body mismatch: 'healthy' not in the 21 body byte(s) received", mismatch.Detail);
    }

    [Fact]
    public async Task Http_ecv_custom_headers_written_with_ns_conf_escapes_reach_the_server_as_CR_LF()
    {
        // The line as NetScaler's save config writes it; the recording backend sees the request's raw bytes.
        var recorded = new TaskCompletionSource<byte[]>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var backend = new LoopbackListener(async (socket, ct) =>
        {
            using (socket)
            {
                var received = new List<byte>();
                var buffer = new byte[4096];
                while (!EndsHeaders(received))
                {
                    var n = await socket.ReceiveAsync(buffer, System.Net.Sockets.SocketFlags.None, ct);
                    if (n == 0)
                    {
                        break;
                    }

                    received.AddRange(buffer.AsSpan(0, n).ToArray());
                }

                recorded.TrySetResult([.. received]);
                await socket.SendAsync("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"u8.ToArray(), System.Net.Sockets.SocketFlags.None, ct);
            }
        });
        var config = CommandLanguage.Language.Build(
            "add lb monitor ecv HTTP-ECV -send \"GET /health\" -recv ok -customHeaders \"Host: app.example\\r\\nX-Probe: 1\\r\\n\" -resptimeout 2 -interval 5");
        var monitor = config.MonitorsByName["ecv"];
        Assert.Equal("Host: app.example\r\nX-Probe: 1\r\n", monitor.CustomHeaders);

        Assert.Equal(ProbeStatus.L7OK, (await Probe(monitor, backend.EndPoint)).Status);
        var request = System.Text.Encoding.Latin1.GetString(await recorded.Task);
        Assert.Equal(
            "GET /health HTTP/1.1\r\nUser-Agent: Portico-monitor\r\nHost: app.example\r\nX-Probe: 1\r\nConnection: close\r\n\r\n",
            request);
    }

    private static bool EndsHeaders(List<byte> bytes) =>
        bytes.Count >= 4 && bytes[^4] == '\r' && bytes[^3] == '\n' && bytes[^2] == '\r' && bytes[^1] == '\n';

    [Fact]
    public async Task Tcp_ecv_sends_with_escapes_and_matches_the_reply()
    {
        await using var backend = TestTcpServer.Start("b1");
        var monitor = Monitor(MonitorType.TcpEcv) with { Send = @"PING\r\n", Recv = "PING\r" };
        Assert.Equal(ProbeStatus.L7OK, (await Probe(monitor with { Recv = @"PING\r\n" }, backend.EndPoint)).Status);

        var mismatch = await Probe(monitor with { Recv = "PONG" }, backend.EndPoint);
        Assert.Equal(ProbeStatus.L7ECV, mismatch.Status);
        Assert.Contains("'PONG' not in the", mismatch.Detail);
    }

    [Fact]
    public async Task Udp_ecv_expects_recv_and_names_a_closed_port_from_icmp()
    {
        await using var backend = UdpBackend.Start();
        var monitor = Monitor(MonitorType.UdpEcv) with { Send = "PING", Recv = "PONG" };
        Assert.Equal(new ProbeResult(ProbeStatus.L7OK, "'PONG' found"), await Probe(monitor, backend.EndPoint));

        backend.Reply = "NOPE";
        Assert.Equal(ProbeStatus.L7ECV, (await Probe(monitor, backend.EndPoint)).Status);

        backend.Reply = null;
        Assert.Equal(ProbeStatus.L7TOUT, (await Probe(monitor, backend.EndPoint)).Status);

        // Without -recv only an ICMP port unreachable fails the probe, as on NetScaler.
        var noRecv = monitor with { Recv = null, ResponseTimeout = new MonitorTime(200, MonitorTimeUnit.Msec) };
        Assert.Equal(ProbeStatus.L7OK, (await Probe(noRecv, backend.EndPoint)).Status);
        using var closed = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Dgram, System.Net.Sockets.ProtocolType.Udp);
        closed.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var closedPort = (IPEndPoint)closed.LocalEndPoint!;
        closed.Dispose();
        Assert.Equal(new ProbeResult(ProbeStatus.L4CON, "ICMP port unreachable"), await Probe(noRecv, closedPort));
    }

    [Fact]
    public async Task Secure_probes_do_tls_and_name_a_tls_failure_L6RSP()
    {
        // The first TLS handshakes of a process load OpenSSL: give them time on a busy CI machine.
        var slow = new MonitorTime(4, MonitorTimeUnit.Sec);
        await using var tls = HttpBackend.Start(tls: true);
        Assert.Equal(ProbeStatus.L6OK, (await Probe(Monitor(MonitorType.Tcp) with { Secure = true, ResponseTimeout = slow }, tls.EndPoint)).Status);
        Assert.Equal(new ProbeResult(ProbeStatus.L7OK, "HTTP 200"),
            await Probe(Monitor(MonitorType.Http) with { Secure = true, ResponseTimeout = slow }, tls.EndPoint));

        await using var plain = TestTcpServer.Start("plain text, no TLS here");
        var failed = await Probe(Monitor(MonitorType.Http) with { Secure = true, ResponseTimeout = slow }, plain.EndPoint);
        Assert.Equal(ProbeStatus.L6RSP, failed.Status);
        Assert.StartsWith("TLS failure:", failed.Detail);
    }

    [Fact]
    public async Task Ping_gets_an_echo_reply_from_loopback()
    {
        Assert.True(IcmpPermission.Allowed, "this test runs where raw ICMP sockets are allowed (root, as CI runs); see the executable's PING test for the refusal");
        var result = await Probe(Monitor(MonitorType.Ping), new IPEndPoint(IPAddress.Loopback, 0));
        Assert.Equal(ProbeStatus.L3OK, result.Status);
    }
}

using System.Net.Sockets;
using System.Text;
using Portico.Core.Tests.Http;
using Portico.Testing;

namespace Portico.Core.Tests.Capture;

/// <summary>The decrypted tap (<c>-mode SSLPLAIN</c>): what TLS hides on the wire, as Portico reads it, in pcapng that tshark dissects.</summary>
public sealed class SslPlainTraceTests : IAsyncLifetime
{
    private readonly string _certs = Directory.CreateTempSubdirectory("portico-tap-certs-").FullName;
    private TestHttpServer _backend = null!;

    public async Task InitializeAsync() => _backend = await TestHttpServer.StartAsync("b1");

    public async Task DisposeAsync()
    {
        await _backend.DisposeAsync();
        Directory.Delete(_certs, recursive: true);
    }

    [Fact]
    public async Task The_tap_of_an_ssl_vserver_shows_the_plaintext_http_request_that_the_wire_capture_only_has_encrypted()
    {
        var cert = TestCertificates.Create(_certs, "a", "a.test");
        await using var setup = await CaptureSetup.StartAsync($"""
            add service s1 127.0.0.1 HTTP {_backend.Port}
            add lb vserver web SSL 127.0.0.1 {Ports.Free()}
            bind lb vserver web s1
            add ssl certKey a -cert {cert.CertPath} -key {cert.KeyPath}
            bind ssl vserver web -certkeyName a
            """);
        var port = setup.Host.EndPointOf("web").Port;

        var tap = await setup.MustAsync("start nstrace -fileName tap -mode SSLPLAIN -filter \"vserver web\" -link ENABLED -size 0");
        Assert.Contains("decrypted tap (SSLPLAIN)", tap);
        Assert.Contains("PCAPNG", tap);
        await setup.MustAsync("start nstrace -fileName wire -filter \"vserver web\" -size 0");

        // HTTP/1.1: tshark's "http" filter; an HTTP/2 client side (ALPN h2) is in the file as http2 frames.
        Assert.Equal("b1", await HttpHeaderTests.CurlAsync("--http1.1", "--cacert", cert.CertPath, "--resolve", $"a.test:{port}:127.0.0.1",
            $"https://a.test:{port}/hidden-by-tls-4242"));
        await TraceWait.QuietAsync(setup.Session("tap"), atLeast: 12);
        await TraceWait.QuietAsync(setup.Session("wire"), atLeast: 10);
        var detail = await setup.MustAsync("show nstrace -fileName tap");
        Assert.Contains("Not a wire capture", detail);
        await setup.MustAsync("stop nstrace");

        var tapFile = Assert.Single(Directory.GetFiles(setup.Directory, "tap_*.pcapng"));
        var requests = await Tshark.FieldsAsync(tapFile, "http.request", "tcp.dstport", "http.request.method", "http.request.uri");
        var uris = requests.Select(r => $"{r[0]} {r[1]} {r[2]}").ToList();

        // The client's request as it arrived after TLS (to the VIP), and as Portico sent it on to the member.
        Assert.Contains($"{port} GET /hidden-by-tls-4242", uris);
        Assert.Contains($"{_backend.Port} GET /hidden-by-tls-4242", uris);
        var responses = await Tshark.FieldsAsync(tapFile, "http.response", "tcp.srcport", "http.response.code");
        Assert.Contains(responses, r => r[0] == port.ToString() && r[1] == "200");

        // The file says what it is: its section comment carries the disclaimer.
        Assert.Contains("not a literal wire capture", await Tshark.CapinfosCommentAsync(tapFile));

        // On the wire, the same request is encrypted: the path is nowhere in the packets to the VIP.
        var wireFile = Assert.Single(Directory.GetFiles(setup.Directory, "wire_*.pcap"));
        Assert.NotEmpty(await Tshark.FieldsAsync(wireFile, $"tcp.dstport == {port} and tls", "frame.number"));
        Assert.Empty(await Tshark.FieldsAsync(wireFile, "frame contains \"hidden-by-tls-4242\"", "frame.number"));
    }

    [Fact]
    public async Task The_tap_of_an_l4_vserver_follows_the_relayed_stream_both_ways()
    {
        await using var backend = TestTcpServer.Start("b1");
        await using var setup = await CaptureSetup.StartAsync($"add service s1 127.0.0.1 TCP {backend.Port}\nadd lb vserver v TCP 127.0.0.1 {Ports.Free()}\nbind lb vserver v s1");
        var vip = setup.Host.EndPointOf("v");
        await setup.MustAsync("start nstrace -fileName l4 -mode SSLPLAIN -filter \"vserver v\" -size 0");

        var (socket, _) = await TestClient.ConnectAndGreetAsync(vip);
        int clientPort;
        using (socket)
        {
            clientPort = ((System.Net.IPEndPoint)socket.LocalEndPoint!).Port;
            await socket.SendAsync(Encoding.ASCII.GetBytes("tapped-l4-payload"));
            socket.Shutdown(SocketShutdown.Send);
            Assert.Equal("tapped-l4-payload", Encoding.ASCII.GetString(await TestClient.ReadToEndAsync(socket)));
        }

        await TraceWait.QuietAsync(setup.Session("l4"), atLeast: 6);
        await setup.MustAsync("stop nstrace");
        var file = Assert.Single(Directory.GetFiles(setup.Directory));

        // tshark follows the synthesized stream: greeting and echo from the VIP, the payload to it, in order.
        var follow = await Tshark.RunAsync(["-r", file, "-q", "-z", "follow,tcp,ascii,0"]);
        Assert.Contains($"127.0.0.1:{clientPort}", follow);
        Assert.Contains($"127.0.0.1:{vip.Port}", follow);
        Assert.Matches(@"(?s)b1\n.*tapped-l4-payload.*tapped-l4-payload", follow);

        // Without -link only the client side is in the file: no packet to or from the member's port.
        Assert.Empty(await Tshark.FieldsAsync(file, $"tcp.port == {backend.Port}", "frame.number"));
        Assert.Empty(await Tshark.FieldsAsync(file, "tcp.analysis.flags", "frame.number"));
    }
}

using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Portico.Testing;

namespace Portico.Scenarios.ClientIp;

/// <summary>
/// PROXY protocol against real peers: nginx (<c>listen ... proxy_protocol</c>, logging <c>$proxy_protocol_addr</c>)
/// and HAProxy (<c>accept-proxy</c>) read what Portico sends; HAProxy's <c>send-proxy</c> and <c>send-proxy-v2</c>
/// (with CRC32c and unique-ID TLVs) reach vservers that require a header. Clients come from 127.0.0.5, a
/// loopback address distinct from the peers' own view of Portico (127.0.0.1).
/// </summary>
public sealed class ProxyProtocolInteropTests
{
    private static readonly IPAddress ClientAddress = IPAddress.Parse("127.0.0.5");

    /// <summary>A client whose connections leave from <paramref name="source"/>; each request records its local port.</summary>
    private static HttpClient Client(IPAddress source, List<int> ports, X509Certificate2? trusted = null) => new(new SocketsHttpHandler
    {
        PooledConnectionLifetime = TimeSpan.Zero,
        SslOptions = { RemoteCertificateValidationCallback = (_, presented, _, _) => trusted is not null && presented?.GetCertHashString() == trusted.GetCertHashString() },
        ConnectCallback = async (context, ct) =>
        {
            var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                s.Bind(new IPEndPoint(source, 0));
                var target = context.InitialRequestMessage.Options.TryGetValue(Vip, out var vip) ? vip : null;
                await s.ConnectAsync(target ?? context.DnsEndPoint, ct);
                lock (ports)
                {
                    ports.Add(((IPEndPoint)s.LocalEndPoint!).Port);
                }

                return new NetworkStream(s, ownsSocket: true);
            }
            catch
            {
                s.Dispose();
                throw;
            }
        },
    })
    { Timeout = TimeSpan.FromSeconds(10) };

    private static readonly HttpRequestOptionsKey<EndPoint> Vip = new("vip");

    [SkippableFact]
    public async Task Nginx_reads_the_client_from_portico_v1_and_v2_headers_and_portico_probes_send_them_too()
    {
        PeerServers.SkipUnlessInstalled("nginx");
        using var peers = new PeerServers();
        var nginxPort = Ports.Free();
        var log = await peers.StartNginxAsync(nginxPort);
        await using var host = await PorticoHost.StartAsync($"""
            add ns netProfile pp1 -proxyProtocol ENABLED
            add ns netProfile pp2 -proxyProtocol ENABLED -proxyProtocolTxVersion V2
            add lb monitor web HTTP -respCode 200 -interval 1 -resptimeout 500 MSEC -downTime 1
            add service s1 127.0.0.1 TCP {nginxPort} -netProfile pp1
            add service s2 127.0.0.1 TCP {nginxPort} -netProfile pp2
            add service s3 127.0.0.1 HTTP {nginxPort} -netProfile pp1
            bind service s1 -monitorName web
            bind service s2 -monitorName web
            add lb vserver l4v1 TCP 127.0.0.1 {Ports.Free()}
            add lb vserver l4v2 TCP 127.0.0.1 {Ports.Free()}
            add lb vserver l7 HTTP 127.0.0.1 {Ports.Free()}
            bind lb vserver l4v1 s1
            bind lb vserver l4v2 s2
            bind lb vserver l7 s3
            """);

        var ports = new List<int>();
        using var client = Client(ClientAddress, ports);
        foreach (var vserver in new[] { "l4v1", "l4v2", "l7", "l7" })
        {
            var body = await client.GetStringAsync(new Uri($"http://{host.EndPointOf(vserver)}/"));
            Assert.Equal($"127.0.0.5 {ports[^1]}\n", body);
        }

        Assert.True(await Eventually.TrueAsync(() => File.Exists(log) && File.ReadAllLines(log).Length >= 4, TimeSpan.FromSeconds(5)));
        var logged = File.ReadAllLines(log);
        foreach (var port in ports)
        {
            Assert.Contains($"127.0.0.5:{port} via 127.0.0.1", logged);
        }

        // HTTP monitors reach nginx with a PROXY header too (a v1 line naming the probe, a v2 LOCAL), so nginx answers
        // them; the same monitor on a service without the header gets no answer and takes it DOWN.
        await host.MustApplyAsync($"add service plain 127.0.0.1 TCP {nginxPort}\nbind service plain -monitorName web");
        string Shown(string service) => string.Concat(host.ApplyAsync($"show service {service}").GetAwaiter().GetResult().Output);
        Assert.True(await Eventually.TrueAsync(() => Shown("s1").Contains("Last response: L7OK", StringComparison.Ordinal)
            && Shown("s2").Contains("Last response: L7OK", StringComparison.Ordinal), TimeSpan.FromSeconds(5)), Shown("s1") + Shown("s2"));
        Assert.True(await Eventually.TrueAsync(() => Shown("plain").Contains("State: DOWN", StringComparison.Ordinal), TimeSpan.FromSeconds(5)), Shown("plain"));
    }

    [SkippableFact]
    public async Task HAProxy_accept_proxy_reads_the_client_and_the_sni_portico_sends_from_an_ssl_vserver()
    {
        PeerServers.SkipUnlessInstalled("haproxy");
        using var peers = new PeerServers();
        var hapPort = Ports.Free();
        await peers.StartHaproxyAsync($$"""
            defaults
              mode http
              timeout connect 5s
              timeout client 10s
              timeout server 10s
            frontend accept
              bind 127.0.0.1:{{hapPort}} accept-proxy
              http-request return status 200 content-type text/plain lf-string "%[src]:%[src_port] %[fc_pp_authority]\n"
            """, hapPort);
        var (cert, key, certificate) = TestCertificates.Create(peers.Dir, "site", "www.example.test");
        await using var host = await PorticoHost.StartAsync($"""
            add ns netProfile pp2 -proxyProtocol ENABLED -proxyProtocolTxVersion V2
            add service hap 127.0.0.1 HTTP {hapPort} -netProfile pp2
            add ssl certKey site -cert {cert} -key {key}
            add lb vserver tls SSL 127.0.0.1 {Ports.Free()}
            bind lb vserver tls hap
            bind ssl vserver tls -certkeyName site
            """);

        var ports = new List<int>();
        using var client = Client(ClientAddress, ports, certificate);
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"https://www.example.test:{host.EndPointOf("tls").Port}/"));
        request.Options.Set(Vip, host.EndPointOf("tls"));
        using var response = await client.SendAsync(request);
        Assert.Equal($"127.0.0.5:{ports[^1]} www.example.test\n", await response.Content.ReadAsStringAsync());
    }

    [SkippableFact]
    public async Task Portico_behind_HAProxy_send_proxy_v2_sees_the_client_for_acls_and_passes_it_on_to_nginx()
    {
        PeerServers.SkipUnlessInstalled("haproxy");
        PeerServers.SkipUnlessInstalled("nginx");
        using var peers = new PeerServers();
        var nginxPort = Ports.Free();
        await peers.StartNginxAsync(nginxPort);
        var vipPort = Ports.Free();
        await using var host = await PorticoHost.StartAsync($"""
            add ns netProfile from_lb -proxyProtocol ENABLED
            add ns netProfile to_srv -proxyProtocol ENABLED
            add service web 127.0.0.1 TCP {nginxPort} -netProfile to_srv
            add lb vserver v TCP 127.0.0.1 {vipPort} -netProfile from_lb
            bind lb vserver v web
            add ns simpleacl banned DENY -srcIP 127.0.0.6
            """);
        var hapPort = Ports.Free();
        await peers.StartHaproxyAsync($$"""
            defaults
              mode tcp
              timeout connect 5s
              timeout client 10s
              timeout server 10s
            listen edge
              bind 127.0.0.1:{{hapPort}}
              unique-id-format %ci:%cp
              server portico 127.0.0.1:{{vipPort}} send-proxy-v2 proxy-v2-options crc32c,unique-id
            """, hapPort);

        var ports = new List<int>();
        using var client = Client(ClientAddress, ports);
        var body = await client.GetStringAsync(new Uri($"http://127.0.0.1:{hapPort}/"));
        Assert.Equal($"127.0.0.5 {ports[^1]}\n", body);

        // The simple ACL blocks the client HAProxy names, though every connection Portico accepts comes from HAProxy.
        using var banned = Client(IPAddress.Parse("127.0.0.6"), ports);
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => banned.GetStringAsync(new Uri($"http://127.0.0.1:{hapPort}/")));
        // (HAProxy retries a connection its server resets, up to 3 times.)
        var k = host.Engine.Runtime.Vservers["v"].Counters;
        Assert.InRange(Interlocked.Read(ref k.Denied), 1, 4);
        Assert.Equal(0, Interlocked.Read(ref k.ProxyHeaderMalformed) + Interlocked.Read(ref k.ProxyHeaderMissing));
    }

    [SkippableFact]
    public async Task An_http_vserver_behind_HAProxy_send_proxy_inserts_the_real_client_in_its_header()
    {
        PeerServers.SkipUnlessInstalled("haproxy");
        using var peers = new PeerServers();
        await using var backend = await TestHttpServer.StartAsync("b1");
        var vipPort = Ports.Free();
        await using var host = await PorticoHost.StartAsync($"""
            add ns netProfile from_lb -proxyProtocol ENABLED
            add service web 127.0.0.1 HTTP {backend.Port} -cip ENABLED X-Client-IP
            add lb vserver v HTTP 127.0.0.1 {vipPort} -netProfile from_lb
            bind lb vserver v web
            """);
        var hapPort = Ports.Free();
        await peers.StartHaproxyAsync($$"""
            defaults
              mode tcp
              timeout connect 5s
              timeout client 10s
              timeout server 10s
            listen edge
              bind 127.0.0.1:{{hapPort}}
              server portico 127.0.0.1:{{vipPort}} send-proxy
            """, hapPort);

        using var client = Client(ClientAddress, []);
        var headers = await client.GetStringAsync(new Uri($"http://127.0.0.1:{hapPort}/headers"));
        Assert.Contains("X-Client-IP: 127.0.0.5", headers, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("X-Forwarded-For: 127.0.0.5", headers, StringComparison.OrdinalIgnoreCase);
    }
}

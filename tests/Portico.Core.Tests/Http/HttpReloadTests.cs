using System.Net;
using System.Net.WebSockets;
using System.Text;
using Portico.Http.Tls;
using Portico.Testing;

using Portico.Configuration;
using Portico.Core.Tests.CommandLanguage;

namespace Portico.Core.Tests.Http;

/// <summary>Config changes under load keep every request; stopping listeners lets requests in flight finish.</summary>
public class HttpReloadTests
{
    [Fact]
    public async Task Vservers_bindings_methods_and_certificates_change_under_load_without_a_failed_request()
    {
        var dir = Directory.CreateTempSubdirectory("portico-reload-").FullName;
        var cert = TestCertificates.Create(dir, "a", "a.test");
        await using var b3 = await TestHttpServer.StartAsync("b3");
        await using var setup = await HttpSetup.StartAsync(extra: $"""
            add service s3 127.0.0.1 HTTP {b3.Port}
            add ssl certKey ck -cert {cert.CertPath} -key {cert.KeyPath}
            add lb vserver tls SSL 127.0.0.1 {Ports.Free()}
            bind lb vserver tls s1
            bind ssl vserver tls -certkeyName ck
            """);
        var tlsPort = setup.Host.EndPointOf("tls").Port;
        using var plain = HttpSetup.Client();
        using var secure = new HttpClient(new SocketsHttpHandler
        {
            SslOptions = { RemoteCertificateValidationCallback = (_, c, _, _) => c is not null },
        });

        // A bounded load that lasts until every change is applied: 6 workers, at most 20,000 requests or 30 s.
        var ok = 0;
        var failures = new List<string>();
        var remaining = 20_000;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        var changesApplied = false;
        async Task WorkAsync(HttpClient client, string url)
        {
            while (!Volatile.Read(ref changesApplied) && Interlocked.Decrement(ref remaining) >= 0 && DateTime.UtcNow < deadline)
            {
                try
                {
                    using var response = await client.GetAsync(url);
                    if (response.StatusCode == HttpStatusCode.OK)
                    {
                        Interlocked.Increment(ref ok);
                    }
                    else
                    {
                        lock (failures)
                        {
                            failures.Add($"{url}: {(int)response.StatusCode}");
                        }
                    }
                }
                catch (HttpRequestException e)
                {
                    lock (failures)
                    {
                        failures.Add($"{url}: {e.Message}");
                    }
                }
            }
        }

        var load = Task.WhenAll(
            Enumerable.Range(0, 4).Select(_ => WorkAsync(plain, setup.Url("/delay/2").ToString()))
                .Concat(Enumerable.Range(0, 2).Select(_ => WorkAsync(secure, $"https://127.0.0.1:{tlsPort}/"))));
        string[] changes =
        [
            "bind lb vserver v s3",
            "set lb vserver v -lbMethod LEASTCONNECTION",
            "unbind lb vserver v s1",
            $"update ssl certKey ck -cert {TestCertificates.Create(dir, "a2", "a.test").CertPath} -key {Path.Combine(dir, "a2.key")}",
            "set lb vserver v -lbMethod ROUNDROBIN -persistenceType COOKIEINSERT",
            "bind lb vserver tls s2",
            $"add lb vserver extra HTTP 127.0.0.1 {Ports.Free()}\nbind lb vserver extra s2",
            "disable service s2",
            "enable service s2\nbind lb vserver v s1",
            "rm lb vserver extra",
            "set lb vserver v -cltTimeout 60 -persistenceType NONE",
        ];
        foreach (var change in changes)
        {
            await Task.Delay(150);
            await setup.Host.MustApplyAsync(change);
            if (change == "bind lb vserver v s3")
            {
                // The member bound under load takes requests before the next change (a LEASTCONNECTION switch, then
                // persistence, could otherwise keep it idle on a slow machine).
                var okBefore = Volatile.Read(ref ok);
                if (!await Eventually.TrueAsync(() => b3.Requests > 0, TimeSpan.FromSeconds(10)))
                {
                    var services = (await setup.Host.MustApplyAsync("show service")).Describe();
                    Assert.Fail($"the member bound under load never served; {okBefore} then {ok} ok, {failures.Count} failed, load done: {load.IsCompleted}\n{services}");
                }
            }
        }

        // Some requests on the final config too, then the load stops.
        var okAfterChanges = Volatile.Read(ref ok);
        await Eventually.TrueAsync(() => Volatile.Read(ref ok) > okAfterChanges + 50, TimeSpan.FromSeconds(5));
        Volatile.Write(ref changesApplied, true);
        await load;
        Assert.Empty(failures);
        Assert.True(ok > 300, $"only {ok} requests completed");
        Assert.True(b3.Requests > 0, "the member bound under load never served");
        Directory.Delete(dir, recursive: true);
    }

    [Fact]
    public async Task Removing_a_vserver_lets_its_requests_in_flight_finish_and_refuses_new_clients()
    {
        await using var setup = await HttpSetup.StartAsync(backends: 1);
        var vip = setup.Vip;
        using var client = HttpSetup.Client();
        var inFlight = Enumerable.Range(0, 4).Select(_ => client.GetAsync(setup.Url("/delay/1500"))).ToList();
        Assert.True(await Eventually.TrueAsync(() => setup.Backends[0].Requests == 4, TimeSpan.FromSeconds(5)));

        await setup.Host.MustApplyAsync("rm lb vserver v");
        Assert.True(await TestClient.IsRefusedAsync(vip, TimeSpan.FromSeconds(5)));
        foreach (var response in await Task.WhenAll(inFlight))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            response.Dispose();
        }
    }

    [Fact]
    public async Task Moving_a_vserver_to_another_port_keeps_requests_in_flight_on_the_old_one()
    {
        await using var setup = await HttpSetup.StartAsync(backends: 1);
        using var client = HttpSetup.Client();
        var slow = client.GetAsync(setup.Url("/delay/1000"));
        Assert.True(await Eventually.TrueAsync(() => setup.Backends[0].Requests == 1, TimeSpan.FromSeconds(5)));
        var port = Ports.Free();
        await setup.Host.MustApplyAsync($"set lb vserver v -port {port}");
        Assert.Equal("b1", await HttpSetup.WhoAnswersAsync(client, new Uri($"http://127.0.0.1:{port}/")));
        using var done = await slow;
        Assert.Equal(HttpStatusCode.OK, done.StatusCode);
    }

    [Fact]
    public async Task A_websocket_upgrade_passes_through_to_the_backend()
    {
        await using var setup = await HttpSetup.StartAsync(backends: 1);
        using var ws = new ClientWebSocket();
        await ws.ConnectAsync(new Uri($"ws://{setup.Vip}/ws"), CancellationToken.None);
        await ws.SendAsync(Encoding.UTF8.GetBytes("hello"), WebSocketMessageType.Text, true, CancellationToken.None);
        var buffer = new byte[256];
        var r = await ws.ReceiveAsync(buffer, CancellationToken.None);
        Assert.Equal("b1: hello", Encoding.UTF8.GetString(buffer, 0, r.Count));
        await ws.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
    }

    [Fact]
    public async Task Certificates_and_http_vservers_round_trip_through_save_config()
    {
        var dir = Directory.CreateTempSubdirectory("portico-save-").FullName;
        var cert = TestCertificates.Create(dir, "a", "a.test");
        var sni = TestCertificates.Create(dir, "b", "b.test");
        await using var host = await PorticoHost.StartAsync($"""
            set ns param -cipHeader X-Client
            add service s1 127.0.0.1 HTTP 8000 -cip ENABLED X-Real -svrTimeout 30
            add service s2 127.0.0.1 SSL 8443 -cip ENABLED
            add ssl certKey "ck one" -cert {cert.CertPath} -key {cert.KeyPath} -expiryMonitor ENABLED
            add ssl certKey ck2 -cert {sni.CertPath} -key {sni.KeyPath}
            add lb vserver web SSL 127.0.0.1 {Ports.Free()} -lbMethod LEASTRESPONSETIME -persistenceType COOKIEINSERT -timeout 0 -redirectFromPort {Ports.Free()} -httpsRedirectUrl https://x.test -cltTimeout 30
            add lb vserver plain HTTP 127.0.0.1 {Ports.Free()} -persistenceType SOURCEIP -timeout 10
            bind lb vserver web s1
            bind lb vserver web s2
            bind lb vserver plain s1
            bind ssl vserver web -certkeyName "ck one"
            bind ssl vserver web -certkeyName ck2 -SNICert
            """);
        var text = (await host.ApplyAsync("show ns runningConfig")).Output[0];
        Assert.Contains($"add ssl certKey \"ck one\" -cert {cert.CertPath} -key {cert.KeyPath} -expiryMonitor ENABLED", text);
        Assert.Contains("bind ssl vserver web -certkeyName ck2 -SNICert", text);
        var written = ConfigWriter.Write(host.Engine.Store.Current, DateTimeOffset.UnixEpoch);
        var again = Language.Build(written);
        Assert.Equal(written, ConfigWriter.Write(again, DateTimeOffset.UnixEpoch));
        Assert.Equal(host.Engine.Store.Current.CertKeys.Select(k => k with { Kept = [] }), again.CertKeys.Select(k => k with { Kept = [] }));
        Assert.Equal(host.Engine.Store.Current.SslBindings.ToList(), again.SslBindings.ToList());
        Directory.Delete(dir, recursive: true);
    }
}

using System.Net.Sockets;
using Portico.Testing;

namespace Portico.Tests.Verbs;

/// <summary>
/// Never a silently different farm: a vserver whose policy Portico cannot apply (an application firewall here) is
/// imported disabled, and a running Portico on the written config says why; one whose policy Portico applies (a
/// responder redirect to HTTPS) is imported as it is and answers as NetScaler did.
/// </summary>
public class ImportPartialTests
{
    private static string RedirectOnly(int port) => $"""
        add server dummy 127.0.0.1
        add service dummy_svc dummy HTTP {Ports.Free()}
        add lb vserver http_redirect HTTP 127.0.0.1 {port} -persistenceType NONE -cltTimeout 180 -devno 50003968
        bind lb vserver http_redirect dummy_svc
        bind lb vserver http_redirect -policyName to_https -priority 100 -gotoPriorityExpression END -type REQUEST
        add responder action to_https_act redirect "\"https://\" + HTTP.REQ.HOSTNAME.HTTP_URL_SAFE + HTTP.REQ.URL.PATH_AND_QUERY" -responseStatusCode 302
        add responder policy to_https HTTP.REQ.IS_VALID to_https_act
        """;

    private static string Firewalled(int port) => $"""
        add server dummy 127.0.0.1
        add service dummy_svc dummy HTTP {Ports.Free()}
        add lb vserver guarded HTTP 127.0.0.1 {port} -persistenceType NONE -cltTimeout 180
        bind lb vserver guarded dummy_svc
        bind lb vserver guarded -policyName waf -priority 100 -gotoPriorityExpression END -type REQUEST
        add appfw profile strict -startURLAction block
        add appfw policy waf HTTP.REQ.IS_VALID strict
        """;

    [Fact]
    public async Task A_redirect_only_vserver_imports_enabled_and_redirects_without_asking_its_dummy_service()
    {
        var port = Ports.Free();
        var (written, report) = await ImportAsync(RedirectOnly(port));
        Assert.DoesNotContain("imported DISABLED", report);
        Assert.Contains("line 5: applied: bind lb vserver http_redirect -policyName to_https", report);

        await using var host = await PorticoHost.StartAsync(written);
        using var client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false });
        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{port}/account?x=1");
        request.Headers.Host = "shop.example.com";
        using var response = await client.SendAsync(request);
        Assert.Equal(System.Net.HttpStatusCode.Found, response.StatusCode);
        Assert.Equal("https://shop.example.com/account?x=1", response.Headers.Location!.ToString());
    }

    [Fact]
    public async Task A_vserver_whose_policy_is_not_applied_is_imported_disabled_and_show_lb_vserver_says_why()
    {
        var port = Ports.Free();
        var (written, report) = await ImportAsync(Firewalled(port));
        Assert.Contains("line 3: kept without effect: add lb vserver guarded HTTP", report);
        Assert.Contains("    imported DISABLED: policy 'waf' is not applied (line 5: refers to 'waf', which line 7 defines: 'add appfw policy' is not supported by Portico)", report);
        Assert.Contains("lb vserver 'guarded' imported DISABLED:", report);
        Assert.Contains("-state DISABLED", written);

        await using var host = await PorticoHost.StartAsync(written);
        var show = (await host.MustApplyAsync("show lb vserver")).Describe();
        Assert.Matches(@"guarded\s+HTTP\s+127\.0\.0\.1:\d+\s+OUT OF SERVICE|guarded\s+HTTP\s+127\.0\.0\.1:\d+\s+DISABLED", show);
        // The line is the kept line's number in the running config file.
        Assert.Matches(@"guarded: DISABLED: policy 'waf' is not applied \(line \d+: refers to 'waf'.*\); without it the vserver would only balance", show);

        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        var refused = await Assert.ThrowsAsync<SocketException>(() => client.ConnectAsync("127.0.0.1", port));
        Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
    }

    [Fact]
    public async Task With_enable_partial_it_serves_and_show_lb_vserver_still_says_it_is_partial()
    {
        var port = Ports.Free();
        var (written, report) = await ImportAsync(Firewalled(port), "--enable-partial");
        Assert.Contains("    partial (--enable-partial): policy 'waf' is not applied", report);
        Assert.DoesNotContain("-state DISABLED", written);

        await using var host = await PorticoHost.StartAsync(written);
        var show = (await host.MustApplyAsync("show lb vserver")).Describe();
        Assert.Contains("guarded: ENABLED, partial: policy 'waf' is not applied", show);
        Assert.Equal(host.EndPointOf("guarded").Port, port);
    }

    [Fact]
    public async Task A_service_whose_monitor_cannot_be_bound_is_imported_disabled_and_show_service_says_why()
    {
        var (written, report) = await ImportAsync($"""
            add server web1 127.0.0.1
            add service web1_http web1 HTTP {Ports.Free()} -gslb NONE -maxClient 0 -maxReq 0 -cip DISABLED -usip NO -useproxyport YES -sp OFF -CKA NO -TCPB NO -CMP NO
            add lb monitor grpc_mon HTTP2 -grpcStatusCode 12
            bind service web1_http -monitorName grpc_mon
            """);
        Assert.Contains("    imported DISABLED: monitor 'grpc_mon' is not bound (line 4: refers to 'grpc_mon', which line 3 defines: monitor type HTTP2 is not supported by Portico)", report);

        await using var host = await PorticoHost.StartAsync(written);
        var show = (await host.MustApplyAsync("show service")).Describe();
        Assert.Matches(@"web1_http: DISABLED: monitor 'grpc_mon' is not bound \(line \d+: refers to 'grpc_mon'.*without it Portico would probe with its default monitor", show);
    }

    private static async Task<(string Written, string Report)> ImportAsync(string nsconf, params string[] options)
    {
        var dir = Directory.CreateTempSubdirectory().FullName;
        var input = Path.Combine(dir, "ns.conf");
        var output = Path.Combine(dir, "portico.conf");
        await File.WriteAllTextAsync(input, nsconf);
        var (code, text) = await PorticoProcess.RunAsync(["import", input, "-o", output, .. options]);
        Assert.True(code == 0, text);
        return (await File.ReadAllTextAsync(output), text);
    }
}

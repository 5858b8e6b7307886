using System.Net.Sockets;
using Portico.Testing;

namespace Portico.Tests.Verbs;

/// <summary>
/// Never a silently different farm: an HTTP vserver whose only job is a responder redirect to HTTPS, bound
/// to a dummy service, is imported disabled, and a running Portico on the written config says why.
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

    [Fact]
    public async Task A_redirect_only_vserver_is_imported_disabled_and_show_lb_vserver_says_why()
    {
        var port = Ports.Free();
        var (written, report) = await ImportAsync(RedirectOnly(port));
        Assert.Contains("line 3: kept without effect: add lb vserver http_redirect HTTP", report);
        Assert.Contains("    imported DISABLED: policy 'to_https' is not applied (line 5: policy bindings are not supported by Portico)", report);
        Assert.Contains("lb vserver 'http_redirect' imported DISABLED:", report);
        Assert.Contains("-state DISABLED", written);

        await using var host = await PorticoHost.StartAsync(written);
        var show = (await host.MustApplyAsync("show lb vserver")).Describe();
        Assert.Matches(@"http_redirect\s+HTTP\s+127\.0\.0\.1:\d+\s+OUT OF SERVICE|http_redirect\s+HTTP\s+127\.0\.0\.1:\d+\s+DISABLED", show);
        // The line is the kept line's number in the running config file.
        Assert.Matches(@"http_redirect: DISABLED: policy 'to_https' is not applied \(line \d+: policy bindings are not supported by Portico\); without it the vserver would only balance", show);
        Assert.Contains("policy 'to_https' is not applied", (await host.MustApplyAsync("show lb vserver http_redirect")).Describe());

        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        var refused = await Assert.ThrowsAsync<SocketException>(() => client.ConnectAsync("127.0.0.1", port));
        Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
    }

    [Fact]
    public async Task With_enable_partial_it_serves_and_show_lb_vserver_still_says_it_is_partial()
    {
        var port = Ports.Free();
        var (written, report) = await ImportAsync(RedirectOnly(port), "--enable-partial");
        Assert.Contains("    partial (--enable-partial): policy 'to_https' is not applied", report);
        Assert.DoesNotContain("-state DISABLED", written);

        await using var host = await PorticoHost.StartAsync(written);
        var show = (await host.MustApplyAsync("show lb vserver")).Describe();
        Assert.Contains("http_redirect: ENABLED, partial: policy 'to_https' is not applied", show);
        Assert.Equal(host.EndPointOf("http_redirect").Port, port);
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

using System.Diagnostics;
using Portico.Testing;

namespace Portico.Core.Tests.Http;

/// <summary>What the server sees of the client: -cip headers, X-Forwarded-For/Proto, Host; and what a client cannot forge.</summary>
public class HttpHeaderTests
{
    [Fact]
    public async Task Cip_inserts_the_client_address_in_client_ip_and_replaces_a_spoofed_value()
    {
        await using var setup = await HttpSetup.StartAsync(backends: 1, serviceOptions: "-cip ENABLED");
        var headers = await CurlAsync("-H", "client-ip: 6.6.6.6", "-H", "X-Forwarded-For: 6.6.6.6", "-H", "Host: www.example.test", setup.Url("/headers").ToString());
        Assert.Contains("client-ip: 127.0.0.1\n", headers);
        Assert.DoesNotContain("6.6.6.6", headers);
        Assert.Contains("x-forwarded-for: 127.0.0.1\n", headers);
        Assert.Contains("x-forwarded-proto: http\n", headers);
        Assert.Contains("host: www.example.test\n", headers);
    }

    [Fact]
    public async Task Cip_uses_the_service_header_else_the_ns_param_header()
    {
        await using var setup = await HttpSetup.StartAsync(backends: 2, vserverOptions: "-lbMethod ROUNDROBIN",
            extra: "set service s1 -cip ENABLED X-Real-Client\nset service s2 -cip ENABLED\nset ns param -cipHeader X-NS-Client");
        using var client = HttpSetup.Client();
        var seen = new Dictionary<string, string>();
        for (var i = 0; i < 2; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, setup.Url("/headers"));
            request.Headers.Add("X-Real-Client", "6.6.6.6");
            request.Headers.Add("X-NS-Client", "6.6.6.6");
            using var response = await client.SendAsync(request);
            seen[response.Headers.GetValues("X-Backend").Single()] = await response.Content.ReadAsStringAsync();
        }

        Assert.Contains("x-real-client: 127.0.0.1\n", seen["b1"]);
        Assert.Contains("x-ns-client: 6.6.6.6\n", seen["b1"]);
        Assert.Contains("x-ns-client: 127.0.0.1\n", seen["b2"]);
        Assert.Contains("x-real-client: 6.6.6.6\n", seen["b2"]);
    }

    [Fact]
    public async Task Without_cip_no_client_ip_header_is_added()
    {
        await using var setup = await HttpSetup.StartAsync(backends: 1);
        var headers = await CurlAsync(setup.Url("/headers").ToString());
        Assert.DoesNotContain("client-ip", headers);
        Assert.Contains("x-forwarded-for: 127.0.0.1\n", headers);
    }

    internal static async Task<string> CurlAsync(params string[] args)
    {
        var psi = new ProcessStartInfo("curl") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in (string[])["-sS", "--max-time", "20", .. args])
        {
            psi.ArgumentList.Add(a);
        }

        using var p = Process.Start(psi)!;
        var output = await p.StandardOutput.ReadToEndAsync();
        var error = await p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        Assert.True(p.ExitCode == 0, $"curl {string.Join(' ', args)} failed ({p.ExitCode}): {error}");
        return output;
    }
}

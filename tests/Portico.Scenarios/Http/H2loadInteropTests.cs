using System.Text.RegularExpressions;

namespace Portico.Scenarios.Http;

/// <summary>
/// h2load (nghttp2-client) against Portico: HTTP/1.1 with <c>--h1</c> on the plain vserver (keep-alive, several
/// connections, pipelined in depth), and h2 over TLS on the SSL vserver. Every request must end 2xx, and the backend
/// must have framed exactly that many requests.
/// </summary>
public sealed partial class H2loadInteropTests
{
    private const int Requests = 400;

    [Fact]
    public async Task H2load_h1_over_plain_http_gets_2xx_for_every_request()
    {
        InteropTools.Require(InteropTools.H2load, "nghttp2-client");
        await using var lab = await InteropLab.StartAsync();
        var (code, output, error) = await InteropTools.RunAsync(InteropTools.H2load,
            ["--h1", "-n", Requests.ToString(System.Globalization.CultureInfo.InvariantCulture), "-c", "4", "-m", "4", $"http://{lab.Web}/h1"]);
        AssertAllSucceeded(code, output, error);
        Assert.Equal(Requests, lab.Backend.RequestsFor("/h1").Count);
        Assert.Empty(lab.Backend.Unframed);
    }

    [Fact]
    public async Task H2load_h2_over_tls_gets_2xx_for_every_request()
    {
        InteropTools.Require(InteropTools.H2load, "nghttp2-client");
        await using var lab = await InteropLab.StartAsync();
        var (code, output, error) = await InteropTools.RunAsync(InteropTools.H2load,
            ["-n", Requests.ToString(System.Globalization.CultureInfo.InvariantCulture), "-c", "4", "-m", "8", $"https://127.0.0.1:{lab.Tls.Port}/h2"]);
        AssertAllSucceeded(code, output, error);
        Assert.Contains("Application protocol: h2", output, StringComparison.Ordinal);
        Assert.Equal(Requests, lab.Backend.RequestsFor("/h2").Count);
        Assert.Empty(lab.Backend.Unframed);
    }

    private static void AssertAllSucceeded(int code, string output, string error)
    {
        var why = InteropTools.Describe(code, output, error);
        Assert.True(code == 0, why);
        var requests = RequestsLine().Match(output);
        Assert.True(requests.Success, why);
        Assert.True(requests.Groups["total"].Value == requests.Groups["succeeded"].Value && requests.Groups["total"].Value == $"{Requests}"
            && requests.Groups["failed"].Value == "0" && requests.Groups["errored"].Value == "0", why);
        var statuses = StatusLine().Match(output);
        Assert.True(statuses.Success && statuses.Groups["ok"].Value == $"{Requests}", why);
    }

    [GeneratedRegex(@"requests: (?<total>\d+) total, \d+ started, \d+ done, (?<succeeded>\d+) succeeded, (?<failed>\d+) failed, (?<errored>\d+) errored")]
    private static partial Regex RequestsLine();

    [GeneratedRegex(@"status codes: (?<ok>\d+) 2xx, 0 3xx, 0 4xx, 0 5xx")]
    private static partial Regex StatusLine();
}

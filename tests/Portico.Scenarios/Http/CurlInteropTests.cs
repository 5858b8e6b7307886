namespace Portico.Scenarios.Http;

/// <summary>
/// curl against Portico's HTTP/1.1 front end, plain and over TLS: keep-alive reuse, <c>Expect: 100-continue</c> with a
/// 2 MiB upload, and a chunked upload, each arriving byte-exact at a backend that records what it received.
/// </summary>
public sealed class CurlInteropTests
{
    private const int TwoMiB = 2 * 1024 * 1024;

    public static TheoryData<bool> Tls => new() { false, true };

    private static string[] Target(InteropLab lab, bool tls, string path) => tls ? lab.TlsArgs(path) : [$"http://{lab.Web}{path}"];

    [Theory]
    [MemberData(nameof(Tls))]
    public async Task Curl_reuses_one_keep_alive_connection_for_several_requests(bool tls)
    {
        InteropTools.Require(InteropTools.Curl, "curl");
        await using var lab = await InteropLab.StartAsync();
        string[] args = ["-sS", "--http1.1", "-w", "%{http_code} %{num_connects} %{http_version}\\n",
            "-o", "/dev/null", .. Target(lab, tls, "/k1"), "-o", "/dev/null", .. Target(lab, tls, "/k2"), "-o", "/dev/null", .. Target(lab, tls, "/k3")];
        var (code, output, error) = await InteropTools.RunAsync(InteropTools.Curl, args);
        Assert.True(code == 0, InteropTools.Describe(code, output, error));
        Assert.Equal("200 1 1.1\n200 0 1.1\n200 0 1.1\n", output);
        Assert.Equal(["/k1", "/k2", "/k3"], lab.Backend.Requests.Select(r => r.Target));
        Assert.Empty(lab.Backend.Unframed);
    }

    [Theory]
    [MemberData(nameof(Tls))]
    public async Task A_2_MiB_upload_with_expect_100_continue_gets_the_100_from_portico_and_arrives_byte_exact(bool tls)
    {
        InteropTools.Require(InteropTools.Curl, "curl");
        await using var lab = await InteropLab.StartAsync();
        var file = InteropTools.RandomFile(lab.Dir, "upload.bin", TwoMiB);
        string[] args = ["-sS", "-v", "--http1.1", "-H", "Expect: 100-continue", "--data-binary", "@" + file, "-o", "/dev/null", "-w", "%{http_code}",
            .. Target(lab, tls, "/expect")];
        var (code, output, error) = await InteropTools.RunAsync(InteropTools.Curl, args);
        Assert.True(code == 0 && output == "200", InteropTools.Describe(code, output, error));
        Assert.Contains("< HTTP/1.1 100 Continue", error, StringComparison.Ordinal);
        var seen = Assert.Single(lab.Backend.RequestsFor("/expect"));
        Assert.Equal(InteropTools.Sha256(await File.ReadAllBytesAsync(file)), Convert.ToHexString(seen.BodySha256));
        Assert.Equal(TwoMiB, seen.BodyLength);
    }

    [Theory]
    [MemberData(nameof(Tls))]
    public async Task A_chunked_upload_arrives_byte_exact(bool tls)
    {
        InteropTools.Require(InteropTools.Curl, "curl");
        await using var lab = await InteropLab.StartAsync();
        var file = InteropTools.RandomFile(lab.Dir, "chunked.bin", TwoMiB + 12345);
        string[] args = ["-sS", "-v", "--http1.1", "-H", "Transfer-Encoding: chunked", "--data-binary", "@" + file, "-o", "/dev/null", "-w", "%{http_code}",
            .. Target(lab, tls, "/chunked")];
        var (code, output, error) = await InteropTools.RunAsync(InteropTools.Curl, args);
        Assert.True(code == 0 && output == "200", InteropTools.Describe(code, output, error));
        Assert.Contains("> Transfer-Encoding: chunked", error, StringComparison.Ordinal);
        var seen = Assert.Single(lab.Backend.RequestsFor("/chunked"));
        Assert.Equal(InteropTools.Sha256(await File.ReadAllBytesAsync(file)), Convert.ToHexString(seen.BodySha256));
    }

    [Fact]
    public async Task Curl_gets_a_backend_chunked_response_whole_over_tls()
    {
        InteropTools.Require(InteropTools.Curl, "curl");
        await using var lab = await InteropLab.StartAsync();
        lab.Backend.Reply = Portico.Testing.BackendReplies.Streamed(5_000_000, chunked: true);
        var path = Path.Combine(lab.Dir, "got.bin");
        var (code, output, error) = await InteropTools.RunAsync(InteropTools.Curl, ["-sS", "--http1.1", "-o", path, "-w", "%{http_code}", .. lab.TlsArgs("/big")]);
        Assert.True(code == 0 && output == "200", InteropTools.Describe(code, output, error));
        Assert.Equal(Convert.ToHexString(Portico.Testing.TestPayload.Sha256(5_000_000)), InteropTools.Sha256(await File.ReadAllBytesAsync(path)));
    }
}

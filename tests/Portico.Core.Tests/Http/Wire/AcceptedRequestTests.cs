using Portico.Testing;

namespace Portico.Core.Tests.Http.Wire;

/// <summary>
/// The rows of the contract that must pass: each request is forwarded once, as the request line and fields the
/// contract says, and answered with the backend's answer. The httpProfile switches that change a row are at the end.
/// </summary>
public class AcceptedRequestTests(WireFixture fixture) : IClassFixture<WireFixture>
{
    public static TheoryData<string, string, string, string> Accepted => new()
    {
        // vector, request, target the backend sees, the request line the backend sees
        { "16 empty lines before the request line", string.Concat(Enumerable.Repeat("\r\n", 16)) + "GET /e16 HTTP/1.1\r\nHost: x\r\n\r\n", "/e16", "GET /e16 HTTP/1.1" },
        { "HTTP/1.2 handled as 1.1", "GET /v12 HTTP/1.2\r\nHost: x\r\n\r\n", "/v12", "GET /v12 HTTP/1.1" },
        { "HTTP/1.9 handled as 1.1", "GET /v19 HTTP/1.9\r\nHost: x\r\n\r\n", "/v19", "GET /v19 HTTP/1.1" },
        { "TRACE is forwarded", "TRACE /trace HTTP/1.1\r\nHost: x\r\n\r\n", "/trace", "TRACE /trace HTTP/1.1" },
        { "an unknown token method is forwarded", "PURGE /purge HTTP/1.1\r\nHost: x\r\n\r\n", "/purge", "PURGE /purge HTTP/1.1" },
        { "a method of 32 bytes is forwarded", new string('M', 32) + " /m32 HTTP/1.1\r\nHost: x\r\n\r\n", "/m32", new string('M', 32) + " /m32 HTTP/1.1" },
        { "absolute-form becomes origin-form", "GET http://x/abs?q=1 HTTP/1.1\r\nHost: x\r\n\r\n", "/abs", "GET /abs?q=1 HTTP/1.1" },
        { "absolute-form with the default port", "GET http://x:80/absport HTTP/1.1\r\nHost: x\r\n\r\n", "/absport", "GET /absport HTTP/1.1" },
        { "printable target bytes pass as they are", "GET /p%20a;b=c?d=e&f=%2F HTTP/1.1\r\nHost: x\r\n\r\n", "/p%20a;b=c", "GET /p%20a;b=c?d=e&f=%2F HTTP/1.1" },
        { "HTTP/1.0 without Host", "GET /ten HTTP/1.0\r\n\r\n", "/ten", "GET /ten HTTP/1.0" },
        { "100 fields", $"GET /f100 HTTP/1.1\r\nHost: x\r\n{string.Concat(Enumerable.Range(0, 99).Select(i => $"X-F{i}: a\r\n"))}\r\n", "/f100", "GET /f100 HTTP/1.1" },
        { "a request line of 8000 bytes", $"GET /long{new string('a', 8000 - 19)} HTTP/1.1\r\nHost: x\r\n\r\n", "/long" + new string('a', 8000 - 19), $"GET /long{new string('a', 8000 - 19)} HTTP/1.1" },
        { "a field line of 24000 bytes", $"GET /big HTTP/1.1\r\nHost: x\r\nX-Big: {new string('a', 24000)}\r\n\r\n", "/big", "GET /big HTTP/1.1" },
        { "HTAB and obs-text in a value", "GET /tab HTTP/1.1\r\nHost: x\r\nX-A: a\tb\u00e9\r\n\r\n", "/tab", "GET /tab HTTP/1.1" },
        { "OWS around CL", "POST /ows HTTP/1.1\r\nHost: x\r\nContent-Length: \t5 \r\n\r\nhello", "/ows", "POST /ows HTTP/1.1" },
        { "OWS around TE, any case", "POST /owste HTTP/1.1\r\nHost: x\r\nTransfer-Encoding:  ChunKed\t\r\n\r\n5\r\nhello\r\n0\r\n\r\n", "/owste", "POST /owste HTTP/1.1" },
        { "leading zeros in CL", "POST /zeros HTTP/1.1\r\nHost: x\r\nContent-Length: 005\r\n\r\nhello", "/zeros", "POST /zeros HTTP/1.1" },
        { "OPTIONS *", "OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n", "*", "OPTIONS * HTTP/1.1" },
    };

    [Theory]
    [MemberData(nameof(Accepted))]
    public async Task Is_forwarded_once_with_the_request_line_the_contract_gives(string vector, string request, string target, string requestLine)
    {
        var errors = fixture.Setup.ProtocolErrors;
        var (_, forwarded) = await fixture.Setup.AssertForwardedAsync(vector, request, target);
        Assert.Equal(requestLine, forwarded.RequestLine);
        Assert.Equal(errors, fixture.Setup.ProtocolErrors);
    }

    [Fact]
    public async Task Bodies_framed_with_OWS_or_leading_zeros_reach_the_backend_whole()
    {
        var setup = fixture.Setup;
        var (_, ows) = await setup.AssertForwardedAsync("OWS", "POST /ows2 HTTP/1.1\r\nHost: x\r\nContent-Length: \t5 \r\n\r\nhello", "/ows2");
        Assert.Equal("hello", ows.BodyText);
        var (_, zeros) = await setup.AssertForwardedAsync("zeros", "POST /zeros2 HTTP/1.1\r\nHost: x\r\nContent-Length: 005\r\n\r\nhello", "/zeros2");
        Assert.Equal("hello", zeros.BodyText);
        Assert.Equal("5", zeros.Field("Content-Length"));
    }
}

/// <summary>The httpProfile switches of the parsing contract, each on its own vserver.</summary>
public class HttpProfileParsingTests
{
    [Fact]
    public async Task MarkConnReqInval_turns_the_CONNECT_refusal_into_400()
    {
        await using var setup = await WireSetup.StartAsync("-httpProfileName p", "add ns httpProfile p -markConnReqInval ENABLED");
        await setup.AssertRefusedAsync("CONNECT, markConnReqInval", "CONNECT x:443 HTTP/1.1\r\nHost: x:443\r\n\r\n", 400);
    }

    [Fact]
    public async Task MarkTraceReqInval_refuses_TRACE_with_400()
    {
        await using var setup = await WireSetup.StartAsync("-httpProfileName p", "add ns httpProfile p -markTraceReqInval ENABLED");
        await setup.AssertRefusedAsync("TRACE, markTraceReqInval", "TRACE / HTTP/1.1\r\nHost: x\r\n\r\n", 400);
    }

    [Fact]
    public async Task DropInvalReqs_closes_without_writing_the_refusal_and_still_counts_it()
    {
        await using var setup = await WireSetup.StartAsync("-httpProfileName p", "add ns httpProfile p -dropInvalReqs ENABLED");
        var errors = setup.ProtocolErrors;
        var exchange = await setup.SendAsync("GET / HTTP/1.1\r\nHost: x\r\nHost: y\r\n\r\n");
        Assert.True(exchange.Received.Length == 0 && exchange.Closed, exchange.ToString());
        Assert.Equal(0, setup.BackendBytes);
        Assert.True(await Eventually.TrueAsync(() => setup.ProtocolErrors == errors + 1, Eventually.Timeout), $"ClientProtocolErrors {setup.ProtocolErrors}");
    }

    [Fact]
    public async Task A_smaller_maxHeaderLen_refuses_a_head_over_it_with_431()
    {
        await using var setup = await WireSetup.StartAsync("-httpProfileName p", "add ns httpProfile p -maxHeaderLen 4096");
        await setup.AssertRefusedAsync("head over -maxHeaderLen 4096", $"GET / HTTP/1.1\r\nHost: x\r\nX-A: {new string('a', 4200)}\r\n\r\n", 431);
        await setup.AssertForwardedAsync("head under -maxHeaderLen 4096", $"GET /ok HTTP/1.1\r\nHost: x\r\nX-A: {new string('a', 3000)}\r\n\r\n", "/ok");
    }

    [Fact]
    public async Task A_smaller_maxHeaderFieldLen_refuses_one_field_over_it_with_431()
    {
        await using var setup = await WireSetup.StartAsync("-httpProfileName p", "add ns httpProfile p -maxHeaderFieldLen 2048");
        await setup.AssertRefusedAsync("field over -maxHeaderFieldLen 2048", $"GET / HTTP/1.1\r\nHost: x\r\nX-A: {new string('a', 2100)}\r\n\r\n", 431);
        await setup.AssertForwardedAsync("fields under -maxHeaderFieldLen 2048",
            $"GET /ok HTTP/1.1\r\nHost: x\r\nX-A: {new string('a', 1500)}\r\nX-B: {new string('a', 1500)}\r\n\r\n", "/ok");
    }
}

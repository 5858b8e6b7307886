namespace Portico.Core.Tests.Http.Wire;

/// <summary>
/// The parsing rows of the engine contract (notes/i16/decisions.md, "Parsing"): every refusal is the status of its
/// row with <c>Connection: close</c>, the connection closed after it, nothing sent to the backend, and
/// <c>ClientProtocolErrors</c> one higher. The rows that must pass are in <see cref="AcceptedRequestTests"/>.
/// </summary>
public class RequestParsingTests(WireFixture fixture) : IClassFixture<WireFixture>
{
    private const string H = "Host: x\r\n";

    private static string Post(string fields, string body) => $"POST /p HTTP/1.1\r\n{H}{fields}\r\n{body}";

    public static TheoryData<string, string, int> Refused => new()
    {
        // Content-Length and Host
        { "identical duplicate CL lines", Post("Content-Length: 5\r\nContent-Length: 5\r\n", "hello"), 400 },
        { "identical CL list", Post("Content-Length: 5, 5\r\n", "hello"), 400 },
        { "differing CL lines", Post("Content-Length: 5\r\nContent-Length: 6\r\n", "hello!"), 400 },
        { "second identical Host line", "GET / HTTP/1.1\r\nHost: x\r\nHost: x\r\n\r\n", 400 },
        { "second differing Host line", "GET / HTTP/1.1\r\nHost: x\r\nHost: y\r\n\r\n", 400 },
        { "HTTP/1.1 without Host", "GET / HTTP/1.1\r\nX-A: a\r\n\r\n", 400 },

        // Transfer-Encoding
        { "TE then CL", Post("Transfer-Encoding: chunked\r\nContent-Length: 5\r\n", "0\r\n\r\n"), 400 },
        { "CL then TE", Post("Content-Length: 5\r\nTransfer-Encoding: chunked\r\n", "0\r\n\r\n"), 400 },
        { "TE in HTTP/1.0", "POST /p HTTP/1.0\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400 },
        { "chunked, chunked", Post("Transfer-Encoding: chunked, chunked\r\n", "0\r\n\r\n"), 400 },
        { "two TE lines", Post("Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n", "0\r\n\r\n"), 400 },
        { "empty TE", Post("Transfer-Encoding: \r\n", "0\r\n\r\n"), 400 },
        { "TE trailing comma", Post("Transfer-Encoding: chunked,\r\n", "0\r\n\r\n"), 400 },
        { "TE leading comma", Post("Transfer-Encoding: ,chunked\r\n", "0\r\n\r\n"), 400 },
        { "TE quoted", Post("Transfer-Encoding: \"chunked\"\r\n", "0\r\n\r\n"), 400 },
        { "TE single-quoted", Post("Transfer-Encoding: 'chunked'\r\n", "0\r\n\r\n"), 400 },
        { "TE with a parameter", Post("Transfer-Encoding: chunked;q=1\r\n", "0\r\n\r\n"), 400 },
        { "TE with a NUL", Post("Transfer-Encoding: chunked\0\r\n", "0\r\n\r\n"), 400 },
        { "TE gzip, chunked", Post("Transfer-Encoding: gzip, chunked\r\n", "0\r\n\r\n"), 501 },
        { "TE identity, chunked", Post("Transfer-Encoding: identity, chunked\r\n", "0\r\n\r\n"), 501 },
        { "TE deflate,chunked", Post("Transfer-Encoding: deflate,chunked\r\n", "0\r\n\r\n"), 501 },
        { "TE chunk (another coding, not final chunked: RFC 9112 6.3 says 400)", Post("Transfer-Encoding: chunk\r\n", "0\r\n\r\n"), 400 },

        // Malformed Content-Length
        { "CL +5", Post("Content-Length: +5\r\n", "hello"), 400 },
        { "CL -1", Post("Content-Length: -1\r\n", "hello"), 400 },
        { "CL 0x5", Post("Content-Length: 0x5\r\n", "hello"), 400 },
        { "CL 5 5", Post("Content-Length: 5 5\r\n", "hello"), 400 },
        { "CL 5,6", Post("Content-Length: 5,6\r\n", "hello!"), 400 },
        { "CL empty", Post("Content-Length: \r\n", "hello"), 400 },
        { "CL too large", Post("Content-Length: 99999999999999999999999\r\n", "hello"), 400 },
        { "CL 5a", Post("Content-Length: 5a\r\n", "hello"), 400 },

        // Field syntax
        { "obs-fold", "GET / HTTP/1.1\r\nHost: x\r\nX-A: a\r\n b\r\n\r\n", 400 },
        { "obs-fold with HTAB", "GET / HTTP/1.1\r\nHost: x\r\nX-A: a\r\n\tb\r\n\r\n", 400 },
        { "whitespace line before the first field", "GET / HTTP/1.1\r\n X-A: a\r\nHost: x\r\n\r\n", 400 },
        { "bare CR in a value", "GET / HTTP/1.1\r\nHost: x\r\nX-A: a\rb\r\n\r\n", 400 },
        { "bare CR ending a field line", "GET / HTTP/1.1\r\nHost: x\r\nX-A: a\r\r\n\r\n", 400 },
        { "bare LF everywhere", "GET / HTTP/1.1\nHost: x\n\n", 400 },
        { "bare LF ending one field line", "GET / HTTP/1.1\r\nHost: x\nX-A: a\r\n\r\n", 400 },
        { "bare LF ending the head", "GET / HTTP/1.1\r\nHost: x\r\n\n", 400 },
        { "space before the colon", "GET / HTTP/1.1\r\nHost: x\r\nX-A : a\r\n\r\n", 400 },
        { "HTAB before the colon", "GET / HTTP/1.1\r\nHost: x\r\nX-A\t: a\r\n\r\n", 400 },
        { "NUL in a value", "GET / HTTP/1.1\r\nHost: x\r\nX-A: a\0b\r\n\r\n", 400 },
        { "SOH in a value", "GET / HTTP/1.1\r\nHost: x\r\nX-A: a\u0001b\r\n\r\n", 400 },
        { "VT in a value", "GET / HTTP/1.1\r\nHost: x\r\nX-A: a\u000bb\r\n\r\n", 400 },
        { "FF ending a value", "GET / HTTP/1.1\r\nHost: x\r\nX-A: a\u000c\r\n\r\n", 400 },
        { "ESC in a value", "GET / HTTP/1.1\r\nHost: x\r\nX-A: a\u001bb\r\n\r\n", 400 },
        { "DEL in a value", "GET / HTTP/1.1\r\nHost: x\r\nX-A: a\u007fb\r\n\r\n", 400 },
        { "empty field name", "GET / HTTP/1.1\r\nHost: x\r\n: a\r\n\r\n", 400 },
        { "non-token byte in a name", "GET / HTTP/1.1\r\nHost: x\r\nX(A): a\r\n\r\n", 400 },
        { "field line without a colon", "GET / HTTP/1.1\r\nHost: x\r\nX-A a\r\n\r\n", 400 },

        // Connection naming framing or routing fields
        { "Connection: Host", "GET / HTTP/1.1\r\nHost: x\r\nConnection: Host\r\n\r\n", 400 },
        { "Connection: Content-Length", Post("Connection: Content-Length\r\nContent-Length: 5\r\n", "hello"), 400 },
        { "Connection: Transfer-Encoding", Post("Connection: Transfer-Encoding\r\nTransfer-Encoding: chunked\r\n", "0\r\n\r\n"), 400 },
        { "Connection: close, Content-Length", Post("Connection: close, content-length\r\nContent-Length: 5\r\n", "hello"), 400 },

        // Request line and version
        { "two spaces after the method", "GET  / HTTP/1.1\r\nHost: x\r\n\r\n", 400 },
        { "two spaces before the version", "GET /  HTTP/1.1\r\nHost: x\r\n\r\n", 400 },
        { "trailing space after the version", "GET / HTTP/1.1 \r\nHost: x\r\n\r\n", 400 },
        { "leading space before the method", " GET / HTTP/1.1\r\nHost: x\r\n\r\n", 400 },
        { "HTAB between the parts", "GET\t/ HTTP/1.1\r\nHost: x\r\n\r\n", 400 },
        { "HTTP/0.9", "GET /\r\n\r\n", 400 },
        { "HTTP/2.0", "GET / HTTP/2.0\r\nHost: x\r\n\r\n", 505 },
        { "HTTP/3.0", "GET / HTTP/3.0\r\nHost: x\r\n\r\n", 505 },
        { "HTTP/1.1.1", "GET / HTTP/1.1.1\r\nHost: x\r\n\r\n", 400 },
        { "HTTP/01.1", "GET / HTTP/01.1\r\nHost: x\r\n\r\n", 400 },
        { "http/1.1 (lower case)", "GET / http/1.1\r\nHost: x\r\n\r\n", 400 },
        { "HTTP/1", "GET / HTTP/1\r\nHost: x\r\n\r\n", 400 },
        { "HTTP/1.x", "GET / HTTP/1.x\r\nHost: x\r\n\r\n", 400 },

        // Method
        { "method with @", "G@T / HTTP/1.1\r\nHost: x\r\n\r\n", 400 },
        { "method with (", "GE(T / HTTP/1.1\r\nHost: x\r\n\r\n", 400 },
        { "method of 33 bytes", new string('M', 33) + " / HTTP/1.1\r\nHost: x\r\n\r\n", 501 },
        { "CONNECT", "CONNECT x:443 HTTP/1.1\r\nHost: x:443\r\n\r\n", 405 },

        // Target
        { "target with SOH", "GET /a\u0001b HTTP/1.1\r\nHost: x\r\n\r\n", 400 },
        { "target with NUL", "GET /a\0b HTTP/1.1\r\nHost: x\r\n\r\n", 400 },
        { "target with DEL", "GET /a\u007fb HTTP/1.1\r\nHost: x\r\n\r\n", 400 },
        { "target with 0x80", "GET /a\u0080b HTTP/1.1\r\nHost: x\r\n\r\n", 400 },
        { "target with 0xff", "GET /a\u00ffb HTTP/1.1\r\nHost: x\r\n\r\n", 400 },
        { "target with #", "GET /a#b HTTP/1.1\r\nHost: x\r\n\r\n", 400 },
        { "absolute-form authority differs from Host", "GET http://a/ HTTP/1.1\r\nHost: b\r\n\r\n", 400 },
        { "absolute-form with userinfo", "GET http://u@x/ HTTP/1.1\r\nHost: x\r\n\r\n", 400 },
        { "asterisk-form with GET", "GET * HTTP/1.1\r\nHost: x\r\n\r\n", 400 },
        { "authority-form with GET", "GET x:80 HTTP/1.1\r\nHost: x:80\r\n\r\n", 400 },

        // Empty lines before the request line: up to 16 are skipped, not more
        { "17 empty lines before the request line", string.Concat(Enumerable.Repeat("\r\n", 17)) + "GET / HTTP/1.1\r\nHost: x\r\n\r\n", 400 },
        { "a bare LF empty line before the request line", "\nGET / HTTP/1.1\r\nHost: x\r\n\r\n", 400 },

        // Limits (httpProfile defaults)
        { "request line over 8192", $"GET /{new string('a', 8200)} HTTP/1.1\r\nHost: x\r\n\r\n", 414 },
        { "one field line over 24820", $"GET / HTTP/1.1\r\nHost: x\r\nX-A: {new string('a', 24820)}\r\n\r\n", 431 },
        { "a head over 24820 in short fields", $"GET / HTTP/1.1\r\nHost: x\r\n{string.Concat(Enumerable.Range(0, 90).Select(i => $"X-F{i}: {new string('a', 280)}\r\n"))}\r\n", 431 },
        { "101 fields", $"GET / HTTP/1.1\r\nHost: x\r\n{string.Concat(Enumerable.Range(0, 100).Select(i => $"X-F{i}: a\r\n"))}\r\n", 431 },
    };

    /// <summary>A body that is not chunked: 400 before any response; the head may have gone out, no complete request may.</summary>
    public static TheoryData<string, string> BrokenChunkedBodies => new()
    {
        { "chunk size not hex", Post("Transfer-Encoding: chunked\r\n", "zz\r\nabc\r\n0\r\n\r\n") },
        { "chunk size 0x5", Post("Transfer-Encoding: chunked\r\n", "0x5\r\nhello\r\n0\r\n\r\n") },
        { "chunk size -5", Post("Transfer-Encoding: chunked\r\n", "-5\r\nhello\r\n0\r\n\r\n") },
        { "space before the chunk size", Post("Transfer-Encoding: chunked\r\n", " 5\r\nhello\r\n0\r\n\r\n") },
        { "chunk size overflowing 64 bits", Post("Transfer-Encoding: chunked\r\n", "1ffffffffffffffff\r\nhello\r\n0\r\n\r\n") },
        { "bare LF after the chunk size", Post("Transfer-Encoding: chunked\r\n", "5\nhello\r\n0\r\n\r\n") },
        { "bare LF after the chunk data", Post("Transfer-Encoding: chunked\r\n", "5\r\nhello\n0\r\n\r\n") },
        { "chunk data longer than its size", Post("Transfer-Encoding: chunked\r\n", "5\r\nhelloXX\r\n0\r\n\r\n") },
        { "no CRLF after the chunk data", Post("Transfer-Encoding: chunked\r\n", "5\r\nhello0\r\n\r\n") },
        { "control byte in a chunk extension", Post("Transfer-Encoding: chunked\r\n", "5;a\u0001b\r\nhello\r\n0\r\n\r\n") },
        { "bare LF in a chunk extension", Post("Transfer-Encoding: chunked\r\n", "5;a\nb\r\nhello\r\n0\r\n\r\n") },
        { "quoted CRLF in a chunk extension", Post("Transfer-Encoding: chunked\r\n", "5;a=\"\r\n\"\r\nhello\r\n0\r\n\r\n") },
        { "chunk-size line over 4096", Post("Transfer-Encoding: chunked\r\n", $"5;a={new string('b', 4100)}\r\nhello\r\n0\r\n\r\n") },
        { "obs-fold in a trailer", Post("Transfer-Encoding: chunked\r\n", "5\r\nhello\r\n0\r\nX-T: a\r\n b\r\n\r\n") },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public Task Is_refused_with_its_status_closed_counted_and_never_forwarded(string vector, string request, int status) =>
        fixture.Setup.AssertRefusedAsync(vector, request, status);

    [Theory]
    [MemberData(nameof(BrokenChunkedBodies))]
    public Task A_broken_chunked_body_gets_400_closed_counted_and_no_complete_request_reaches_the_backend(string vector, string request) =>
        fixture.Setup.AssertRefusedAsync(vector, Wire.Bytes(request), 400, headMayReachServer: true);

    [Fact]
    public async Task CONNECT_is_refused_with_an_Allow_field()
    {
        var exchange = await fixture.Setup.AssertRefusedAsync("CONNECT", "CONNECT x:443 HTTP/1.1\r\nHost: x:443\r\n\r\n", 405);
        Assert.True(exchange.First!.Has("Allow"), exchange.ToString());
    }
}

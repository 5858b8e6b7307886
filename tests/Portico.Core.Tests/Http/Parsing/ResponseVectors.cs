using static Portico.Core.Tests.Http.Parsing.Vector;

namespace Portico.Core.Tests.Http.Parsing;

/// <summary>
/// Response heads: rows 38-40 and 44, and the request rows that apply to responses too (2, 3, 10, 12-16, 23-30),
/// where every violation is Invalid with 502 (decision 3). A name starting with "HEAD " is a response to HEAD.
/// </summary>
public static class ResponseVectors
{
    public static readonly Vector[] All =
    [
        Ok("39", "Content-Length response", "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n"),
        Ok("39", "chunked response", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"),
        Ok("39", "close-delimited response", "HTTP/1.1 200 OK\r\nServer: x\r\n\r\n"),
        Bad("39", "TE not ending in chunked", "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n", 502),
        Bad("25", "TE gzip, chunked", "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", 502),
        Ok("38", "204 without body", "HTTP/1.1 204 No Content\r\n\r\n"),
        Ok("38", "204 with Content-Length 0", "HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n"),
        Bad("38", "204 with Content-Length 5", "HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\n", 502),
        Bad("38", "204 with TE", "HTTP/1.1 204 No Content\r\nTransfer-Encoding: chunked\r\n\r\n", 502),
        Bad("38", "103 with Content-Length 5", "HTTP/1.1 103 Early Hints\r\nContent-Length: 5\r\n\r\n", 502),
        Ok("38", "304 with Content-Length", "HTTP/1.1 304 Not Modified\r\nContent-Length: 100\r\n\r\n"),
        Ok("38", "HEAD response with Content-Length", "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n"),
        Ok("38", "HEAD response with TE", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"),
        Ok("40", "100 Continue", "HTTP/1.1 100 Continue\r\n\r\n"),
        Ok("40", "101 Switching Protocols", "HTTP/1.1 101 Switching Protocols\r\nConnection: upgrade\r\nUpgrade: websocket\r\n\r\n"),
        Ok("44", "bytes after the declared body are not part of the head", "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokEXTRA"),
        Bad("23", "TE and CL", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n", 502),
        Bad("28", "TE in an HTTP/1.0 response", "HTTP/1.0 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", 502),
        Bad("12", "obs-fold", "HTTP/1.1 200 OK\r\nX: a\r\n b\r\nContent-Length: 0\r\n\r\n", 502),
        Bad("10", "SP before the colon", "HTTP/1.1 200 OK\r\nContent-Length : 5\r\n\r\n", 502),
        Bad("30", "CL +5", "HTTP/1.1 200 OK\r\nContent-Length: +5\r\n\r\n", 502),
        Bad("29", "two identical CL lines", "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\n", 502),
        Bad("2", "bare LF", "HTTP/1.1 200 OK\nContent-Length: 5\r\n\r\n", 502),
        Bad("3", "bare CR", "HTTP/1.1 200 OK\r\nX: a\rb\r\n\r\n", 502),
        Bad("13", "NUL in a value", "HTTP/1.1 200 OK\r\nX: a\u0000\r\n\r\n", 502),
        Bad("42", "Connection naming Content-Length", "HTTP/1.1 200 OK\r\nConnection: content-length\r\nContent-Length: 5\r\n\r\n", 502),
        Bad("8", "HTTP/2.0 status line", "HTTP/2.0 200 OK\r\n\r\n", 502),
        Bad("8", "lower-case version", "http/1.1 200 OK\r\n\r\n", 502),
        Bad("8", "two-digit status", "HTTP/1.1 99 Odd\r\n\r\n", 502),
        Bad("8", "status 600", "HTTP/1.1 600 Odd\r\n\r\n", 502),
        Bad("8", "status followed by a letter", "HTTP/1.1 200OK\r\n\r\n", 502),
        Bad("14", "CTL in the reason phrase", "HTTP/1.1 200 O\u0001K\r\n\r\n", 502),
        Ok("8", "status line without reason", "HTTP/1.1 200\r\nContent-Length: 0\r\n\r\n"),
        Ok("8", "HTTP/1.2 response is 1.1", "HTTP/1.2 200 OK\r\nContent-Length: 0\r\n\r\n"),
        Ok("46", "HTTP/1.0 keep-alive response", "HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n"),
        Bad("16", "101 fields", "HTTP/1.1 200 OK\r\n" + string.Concat(Enumerable.Repeat("X: y\r\n", 101)) + "\r\n", 502),
        Bad("16", "field line over the limit", "HTTP/1.1 200 OK\r\nX: " + new string('v', 24820) + "\r\n\r\n", 502),
    ];

    public static TheoryData<string> Names() => [.. All.Select(v => v.Row + ": " + v.Name)];

    public static Vector Named(string name) => All.Single(v => v.Row + ": " + v.Name == name);

    public static bool ForHead(Vector v) => v.Name.StartsWith("HEAD ", StringComparison.Ordinal);
}

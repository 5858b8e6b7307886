using static Portico.Core.Tests.Http.Parsing.Vector;
using static Portico.Core.Tests.Http.Parsing.Wire;

namespace Portico.Core.Tests.Http.Parsing;

/// <summary>
/// The request rows of /work/notes/i16/http1-rules.md (tables 1-3, "Proposed Portico" column, with the lead's
/// decisions), one or more vectors each. Rows the parser has no say in (engine behaviour: 21's 405, 40, 43-47) are
/// represented by what the parser must hand the engine for them (e.g. the head length of a pipelined request).
/// </summary>
public static class RequestVectors
{
    private static readonly string Long33 = new('M', 33);
    private static readonly string Long32 = new('M', 32);

    public static readonly Vector[] All =
    [
        // 1, 37: empty lines before the request line, at most 16.
        Ok("1", "one empty line before the request line", "\r\n" + Get()),
        Ok("1", "sixteen empty lines", string.Concat(Enumerable.Repeat("\r\n", 16)) + Get()),
        Bad("1", "seventeen empty lines", string.Concat(Enumerable.Repeat("\r\n", 17)) + Get(), 400),
        Bad("1", "a lone LF empty line", "\n" + Get(), 400),
        Ok("37", "extra CRLF after a previous body is skipped", "\r\n\r\n" + Get()),

        // 2: bare LF.
        Bad("2", "bare LF after the request line", "GET / HTTP/1.1\nHost: a\r\n\r\n", 400),
        Bad("2", "bare LF after a field", "GET / HTTP/1.1\r\nHost: a\n\r\n", 400),
        Bad("2", "bare LF as the final empty line", "GET / HTTP/1.1\r\nHost: a\r\n\n", 400),

        // 3: bare CR.
        Bad("3", "bare CR inside a field line", "GET / HTTP/1.1\r\nHost: a\rX: y\r\n\r\n", 400),
        Bad("3", "bare CR in the request target", "GET /\r HTTP/1.1\r\nHost: a\r\n\r\n", 400),
        Bad("3", "CR CR LF after the request line", "GET / HTTP/1.1\r\r\nHost: a\r\n\r\n", 400),
        Bad("3", "CR not followed by LF at the end of the head", "GET / HTTP/1.1\r\nHost: a\r\n\rX\r\n\r\n", 400),

        // 4: exactly one SP between the parts.
        Bad("4", "two SP after the method", "GET  / HTTP/1.1\r\nHost: a\r\n\r\n", 400),
        Bad("4", "two SP before the version", "GET /  HTTP/1.1\r\nHost: a\r\n\r\n", 400),
        Bad("4", "HTAB after the method", "GET\t/ HTTP/1.1\r\nHost: a\r\n\r\n", 400),
        Bad("4", "leading SP", " GET / HTTP/1.1\r\nHost: a\r\n\r\n", 400),
        Bad("4", "trailing SP", "GET / HTTP/1.1 \r\nHost: a\r\n\r\n", 400),
        Bad("4", "VT between parts", "GET\u000b/ HTTP/1.1\r\nHost: a\r\n\r\n", 400),

        // 5: methods.
        Bad("5", "method with a non-token byte", "G@T / HTTP/1.1\r\nHost: a\r\n\r\n", 400),
        Bad("5", "empty method", " / HTTP/1.1\r\nHost: a\r\n\r\n", 400),
        Ok("5", "unknown token method is forwarded", "FOO / HTTP/1.1\r\nHost: a\r\n\r\n"),
        Ok("5", "lower-case get is a different, unknown method", "get / HTTP/1.1\r\nHost: a\r\n\r\n"),
        Ok("5", "method of 32 bytes", Long32 + " / HTTP/1.1\r\nHost: a\r\n\r\n"),
        Bad("5", "method of 33 bytes", Long33 + " / HTTP/1.1\r\nHost: a\r\n\r\n", 501),

        // 6: target bytes.
        Bad("6", "CTL in the target", "GET /a\u0001 HTTP/1.1\r\nHost: a\r\n\r\n", 400),
        Bad("6", "DEL in the target", "GET /a\u007f HTTP/1.1\r\nHost: a\r\n\r\n", 400),
        Bad("6", "byte 0x80 in the target", "GET /caf\u00e9 HTTP/1.1\r\nHost: a\r\n\r\n", 400),
        Bad("6", "fragment in the target", "GET /a#b HTTP/1.1\r\nHost: a\r\n\r\n", 400),
        Bad("6", "NUL in the target", "GET /\u0000 HTTP/1.1\r\nHost: a\r\n\r\n", 400),
        Ok("6", "printable bytes RFC 3986 forbids are forwarded as HAProxy does", "GET /a\"<>\\^{}|` HTTP/1.1\r\nHost: a\r\n\r\n"),

        // 7: request line length.
        Ok("7", "request line of exactly 8192 bytes", "GET /" + new string('a', 8192 - 14) + " HTTP/1.1\r\nHost: a\r\n\r\n"),
        Bad("7", "request line of 8193 bytes", "GET /" + new string('a', 8192 - 13) + " HTTP/1.1\r\nHost: a\r\n\r\n", 414),

        // 8: versions.
        Bad("8", "HTTP/0.9 request line without a version", "GET /\r\n\r\n", 400),
        Bad("8", "explicit HTTP/0.9", "GET / HTTP/0.9\r\n\r\n", 400),
        Bad("8", "HTTP/1.1.1", "GET / HTTP/1.1.1\r\nHost: a\r\n\r\n", 400),
        Bad("8", "HTTP/01.1", "GET / HTTP/01.1\r\nHost: a\r\n\r\n", 400),
        Bad("8", "lower-case http/1.1", "GET / http/1.1\r\nHost: a\r\n\r\n", 400),
        Bad("8", "HTTP/1", "GET / HTTP/1\r\nHost: a\r\n\r\n", 400),
        Bad("8", "HTTP/2.0", "GET / HTTP/2.0\r\nHost: a\r\n\r\n", 505),
        Bad("8", "HTTP/3.0", "GET / HTTP/3.0\r\nHost: a\r\n\r\n", 505),
        Bad("8", "the HTTP/2 preface", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", 505),
        Ok("8", "HTTP/1.2 is handled as 1.1", "GET / HTTP/1.2\r\nHost: a\r\n\r\n"),
        Ok("8", "HTTP/1.0", "GET / HTTP/1.0\r\n\r\n"),

        // 9, 12: whitespace-led lines.
        Bad("9", "whitespace before the first field", "GET / HTTP/1.1\r\n Host: a\r\n\r\n", 400),
        Bad("12", "obs-fold with SP", Get("X: a\r\n b\r\n"), 400),
        Bad("12", "obs-fold with HTAB", Get("X: a\r\n\tb\r\n"), 400),

        // 10, 11: field names.
        Bad("10", "SP before the colon", "GET / HTTP/1.1\r\nHost : a\r\n\r\n", 400),
        Bad("10", "Transfer-Encoding SP colon", Post("Transfer-Encoding : chunked\r\n"), 400),
        Bad("10", "HTAB before the colon", Get("X\t: y\r\n"), 400),
        Bad("11", "empty field name", Get(": x\r\n"), 400),
        Bad("11", "VT in a field name", Get("Foo\u000b: x\r\n"), 400),
        Bad("11", "byte 0x82 in a field name", Post("Transf\u0082r-Encoding: chunked\r\n"), 400),
        Bad("11", "field line without colon", Get("Foo\r\n"), 400),
        Ok("11", "underscore name is another field", Post("Transfer_Encoding: chunked\r\n")),

        // 13, 14, 15: values.
        Bad("13", "NUL in a value", Get("X: a\u0000b\r\n"), 400),
        Bad("14", "VT after chunked", Post("Transfer-Encoding: chunked\u000b\r\n"), 400),
        Bad("14", "DEL in a value", Get("X: a\u007f\r\n"), 400),
        Bad("14", "ESC in a value", Get("X: \u001b[0m\r\n"), 400),
        Ok("14", "HTAB inside a value", Get("X: a\tb\r\n")),
        Ok("14", "obs-text in a value", Get("X: caf\u00e9\r\n")),
        Ok("15", "OWS around a Content-Length", Post("Content-Length:  5 \r\n")),
        Ok("15", "HTAB after chunked", Post("Transfer-Encoding: chunked\t\r\n")),
        Bad("15", "FF before a Content-Length", Post("Content-Length: \u000c5\r\n"), 400),

        // 16: limits.
        Bad("16", "field line over 24820", Get("X: " + new string('v', 24820) + "\r\n"), 431),
        Bad("16", "head over 24820", Get(string.Concat(Enumerable.Repeat("X: " + new string('v', 1000) + "\r\n", 25))), 431),
        Ok("16", "100 fields", "GET / HTTP/1.1\r\n" + string.Concat(Enumerable.Repeat("X: y\r\n", 99)) + "Host: a\r\n\r\n"),
        Bad("16", "101 fields", "GET / HTTP/1.1\r\n" + string.Concat(Enumerable.Repeat("X: y\r\n", 100)) + "Host: a\r\n\r\n", 431),

        // 17, 18: Host.
        Bad("17", "HTTP/1.1 without Host", "GET / HTTP/1.1\r\n\r\n", 400),
        Ok("17", "HTTP/1.0 without Host", "GET / HTTP/1.0\r\n\r\n"),
        Bad("18", "two identical Host lines", Get("Host: a\r\n"), 400),
        Bad("18", "two different Host lines", Get("Host: b\r\n"), 400),
        Bad("18", "Host with a space", "GET / HTTP/1.1\r\nHost: a b\r\n\r\n", 400),
        Bad("18", "Host with userinfo", "GET / HTTP/1.1\r\nHost: u@a\r\n\r\n", 400),
        Bad("18", "Host with a port over 65535", "GET / HTTP/1.1\r\nHost: a:99999\r\n\r\n", 400),
        Bad("18", "Host with a non-digit port", "GET / HTTP/1.1\r\nHost: a:8o\r\n\r\n", 400),
        Bad("18", "Host with only a port", "GET / HTTP/1.1\r\nHost: :80\r\n\r\n", 400),
        Bad("18", "Host with a bad percent-encoding", "GET / HTTP/1.1\r\nHost: a%zz\r\n\r\n", 400),
        Ok("18", "Host IPv6 literal with port", "GET / HTTP/1.1\r\nHost: [::1]:8080\r\n\r\n"),
        Ok("18", "empty Host", "GET / HTTP/1.1\r\nHost:\r\n\r\n"),

        // 19: absolute-form.
        Bad("19", "absolute-form authority differs from Host", "GET http://a/ HTTP/1.1\r\nHost: b\r\n\r\n", 400),
        Ok("19", "absolute-form authority equals Host", "GET http://a/x?y HTTP/1.1\r\nHost: a\r\n\r\n"),
        Ok("19", "absolute-form case and default port", "GET HTTP://A:80/x HTTP/1.1\r\nHost: a\r\n\r\n"),
        Ok("19", "Host default port against a bare authority", "GET http://a/ HTTP/1.1\r\nHost: A:80\r\n\r\n"),
        Ok("19", "https default port", "GET https://a:443/ HTTP/1.1\r\nHost: a\r\n\r\n"),
        Bad("19", "absolute-form other port", "GET http://a:81/ HTTP/1.1\r\nHost: a\r\n\r\n", 400),
        Bad("19", "absolute-form with userinfo", "GET http://u@a/ HTTP/1.1\r\nHost: a\r\n\r\n", 400),
        Bad("19", "absolute-form without authority", "GET http:///x HTTP/1.1\r\nHost: a\r\n\r\n", 400),
        Bad("19", "absolute-form with another scheme", "GET ftp://a/ HTTP/1.1\r\nHost: a\r\n\r\n", 400),
        Bad("19", "absolute-form with an empty Host", "GET http://a/ HTTP/1.1\r\nHost:\r\n\r\n", 400),
        Ok("19", "HTTP/1.0 absolute-form without Host", "GET http://a/ HTTP/1.0\r\n\r\n"),

        // 20, 21: asterisk and authority forms, CONNECT, TRACE.
        Bad("20", "asterisk-form with GET", "GET * HTTP/1.1\r\nHost: a\r\n\r\n", 400),
        Ok("20", "asterisk-form with OPTIONS", "OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n"),
        Bad("20", "authority-form with GET", "GET a:80 HTTP/1.1\r\nHost: a\r\n\r\n", 400),
        Ok("21", "CONNECT authority-form (the engine answers 405)", "CONNECT a:443 HTTP/1.1\r\nHost: a:443\r\n\r\n"),
        Bad("20", "CONNECT with an origin-form target", "CONNECT / HTTP/1.1\r\nHost: a\r\n\r\n", 400),
        Bad("20", "CONNECT without a port", "CONNECT a HTTP/1.1\r\nHost: a\r\n\r\n", 400),
        Bad("20", "CONNECT authority differs from Host", "CONNECT a:443 HTTP/1.1\r\nHost: b:443\r\n\r\n", 400),
        Ok("21", "TRACE is forwarded", "TRACE / HTTP/1.1\r\nHost: a\r\n\r\n"),

        // 22: no normalisation.
        Ok("22", "dot segments and encodings are forwarded as they are", "GET /a/../b%2e%2F HTTP/1.1\r\nHost: a\r\n\r\n"),

        // 23-28: Transfer-Encoding.
        Bad("23", "TE then CL", Post("Transfer-Encoding: chunked\r\nContent-Length: 5\r\n"), 400),
        Bad("23", "CL then TE", Post("Content-Length: 5\r\nTransfer-Encoding: chunked\r\n"), 400),
        Bad("24", "TE gzip alone", Post("Transfer-Encoding: gzip\r\n"), 400),
        Bad("24", "TE chunked, gzip", Post("Transfer-Encoding: chunked, gzip\r\n"), 400),
        Bad("24", "TE identity", Post("Transfer-Encoding: identity\r\n"), 400),
        Bad("25", "TE gzip, chunked", Post("Transfer-Encoding: gzip, chunked\r\n"), 501),
        Bad("25", "TE identity, chunked", Post("Transfer-Encoding: identity, chunked\r\n"), 501),
        Bad("25", "TE deflate,chunked", Post("Transfer-Encoding: deflate,chunked\r\n"), 501),
        Bad("26", "TE chunked, chunked", Post("Transfer-Encoding: chunked, chunked\r\n"), 400),
        Bad("26", "two TE chunked lines", Post("Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n"), 400),
        Bad("27", "empty TE", Post("Transfer-Encoding:\r\n"), 400),
        Bad("27", "TE chunked with a trailing comma", Post("Transfer-Encoding: chunked,\r\n"), 400),
        Bad("27", "TE with a leading comma", Post("Transfer-Encoding: ,chunked\r\n"), 400),
        Bad("27", "TE quoted chunked", Post("Transfer-Encoding: \"chunked\"\r\n"), 400),
        Bad("27", "TE apostrophed chunked", Post("Transfer-Encoding: 'chunked'\r\n"), 400),
        Bad("27", "TE chunk", Post("Transfer-Encoding: chunk\r\n"), 400),
        Bad("27", "TE xchunked", Post("Transfer-Encoding: xchunked\r\n"), 400),
        Bad("27", "TE chunked with a parameter", Post("Transfer-Encoding: chunked;q=1\r\n"), 400),
        Bad("27", "TE chunked NUL", Post("Transfer-Encoding: chunked\u0000\r\n"), 400),
        Ok("27", "TE in upper case", Post("Transfer-Encoding: CHUNKED\r\n")),
        Bad("28", "TE in an HTTP/1.0 request", "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n", 400),

        // 29, 30: Content-Length.
        Bad("29", "CL list of identical values", Post("Content-Length: 5, 5\r\n"), 400),
        Bad("29", "two identical CL lines", Post("Content-Length: 5\r\nContent-Length: 5\r\n"), 400),
        Bad("29", "two different CL lines", Post("Content-Length: 5\r\nContent-Length: 6\r\n"), 400),
        Bad("29", "CL list of different values", Post("Content-Length: 5,6\r\n"), 400),
        Bad("30", "CL +5", Post("Content-Length: +5\r\n"), 400),
        Bad("30", "CL -1", Post("Content-Length: -1\r\n"), 400),
        Bad("30", "CL 0x5", Post("Content-Length: 0x5\r\n"), 400),
        Bad("30", "CL 5a", Post("Content-Length: 5a\r\n"), 400),
        Bad("30", "CL 5 5", Post("Content-Length: 5 5\r\n"), 400),
        Bad("30", "CL empty", Post("Content-Length:\r\n"), 400),
        Bad("30", "CL only spaces", Post("Content-Length:   \r\n"), 400),
        Bad("30", "CL 1e3", Post("Content-Length: 1e3\r\n"), 400),
        Bad("30", "CL 2^63", Post("Content-Length: 9223372036854775808\r\n"), 400),
        Bad("30", "CL 2^62 + 1", Post("Content-Length: 4611686018427387905\r\n"), 400),
        Bad("30", "CL far over 64 bits", Post("Content-Length: 99999999999999999999999999\r\n"), 400),
        Ok("30", "CL 2^62", Post("Content-Length: 4611686018427387904\r\n")),
        Ok("30", "CL with leading zeros", Post("Content-Length: 007\r\n")),

        // 31, 32: bodies without length; HTTP/1.0 bodies on GET/HEAD/DELETE.
        Ok("31", "POST without CL or TE has no body", Post("")),
        Ok("43", "pipelined request after the head", Get() + "GET /b HTTP/1.1\r\nHost: a\r\n\r\n"),
        Bad("32", "HTTP/1.0 GET with a body", "GET / HTTP/1.0\r\nContent-Length: 5\r\n\r\n", 413),
        Bad("32", "HTTP/1.0 DELETE with a body", "DELETE / HTTP/1.0\r\nContent-Length: 1\r\n\r\n", 413),
        Ok("32", "HTTP/1.0 GET with CL 0", "GET / HTTP/1.0\r\nContent-Length: 0\r\n\r\n"),
        Ok("32", "HTTP/1.0 POST with a body", "POST / HTTP/1.0\r\nContent-Length: 5\r\n\r\n"),
        Ok("32", "HTTP/1.1 GET with a body", Get("Content-Length: 5\r\n")),

        // 41: Expect.
        Ok("41", "Expect 100-continue", Post("Content-Length: 5\r\nExpect: 100-Continue\r\n")),
        Bad("41", "Expect other than 100-continue", Post("Content-Length: 5\r\nExpect: 200-ok\r\n"), 417),
        Ok("41", "HTTP/1.0 Expect is ignored", "POST / HTTP/1.0\r\nContent-Length: 5\r\nExpect: foo\r\n\r\n"),

        // 42: Connection.
        Ok("42", "Connection close and another option", Get("Connection: close, X-Foo\r\nX-Foo: 1\r\n")),
        Bad("42", "Connection naming Content-Length", Post("Content-Length: 5\r\nConnection: Content-Length\r\n"), 400),
        Bad("42", "Connection naming Host", Get("Connection: host\r\n"), 400),
        Bad("42", "Connection naming Transfer-Encoding", Get("Connection: keep-alive, Transfer-Encoding\r\n"), 400),
        Bad("42", "Connection with a non-token option", Get("Connection: a b\r\n"), 400),
        Ok("42", "Connection naming X-Forwarded-For", Get("X-Forwarded-For: 6.6.6.6\r\nConnection: X-Forwarded-For\r\n")),
        Ok("42", "upgrade request", Get("Connection: Upgrade\r\nUpgrade: websocket\r\n")),

        // 46: persistence.
        Ok("46", "HTTP/1.0 keep-alive", "GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"),
    ];

    public static TheoryData<string> Names() => [.. All.Select(v => v.Row + ": " + v.Name)];

    public static Vector Named(string name) => All.Single(v => v.Row + ": " + v.Name == name);
}

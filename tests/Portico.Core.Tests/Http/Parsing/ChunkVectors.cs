using static Portico.Core.Tests.Http.Parsing.ChunkVector;

namespace Portico.Core.Tests.Http.Parsing;

/// <summary>Rows 33-36 and 47 of the rules: chunk sizes, extensions, CRLF after data, trailers, incomplete bodies.</summary>
public static class ChunkVectors
{
    public static readonly ChunkVector[] All =
    [
        Done("33", "two chunks and the last chunk", "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n", "hello world"),
        Done("33", "upper and lower hex", "a\r\n0123456789\r\nA\r\n0123456789\r\n0\r\n\r\n", "01234567890123456789"),
        Done("33", "leading zeros", "0005\r\nhello\r\n000\r\n\r\n", "hello"),
        Done("33", "bytes after the final CRLF belong to the next message", "1\r\nx\r\n0\r\n\r\nGET / HTTP/1.1", "x", 11),
        More("33", "15 significant hex digits are a valid size", "fffffffffffffff\r\nabc", "abc"),
        Bad("33", "16 significant hex digits", "1000000000000000\r\n"),
        Bad("33", "SP after the size", "5 \r\nhello\r\n0\r\n\r\n"),
        Bad("33", "HTAB after the size", "5\t\r\nhello\r\n0\r\n\r\n"),
        Bad("33", "SP before the size", " 5\r\nhello\r\n0\r\n\r\n"),
        Bad("33", "0x prefix", "0x5\r\nhello\r\n0\r\n\r\n"),
        Bad("33", "negative size", "-5\r\nhello\r\n0\r\n\r\n"),
        Bad("33", "empty size", "\r\nhello\r\n0\r\n\r\n"),
        Bad("33", "semicolon without extension", "5;\r\nhello\r\n0\r\n\r\n"),
        Bad("33", "bare LF after the size", "5\nhello\r\n0\r\n\r\n"),
        Bad("33", "bare CR after the size", "5\rhello\r\n0\r\n\r\n"),
        Done("34", "extension token", "5;foo=bar\r\nhello\r\n0;last\r\n\r\n", "hello"),
        Done("34", "extension quoted value with a quoted-pair", "5;a=\"b \\\" ;c\"\r\nhello\r\n0\r\n\r\n", "hello"),
        Done("34", "BWS around extension parts", "5 ; a = b ;c\r\nhello\r\n0\r\n\r\n", "hello"),
        Bad("34", "extension with a bare LF", "5;a\nhello\r\n0\r\n\r\n"),
        Bad("34", "quoted CRLF in an extension", "5;a=\"x\r\n\"\r\nhello\r\n0\r\n\r\n"),
        Bad("34", "CTL in an extension", "5;a=b\u0001\r\nhello\r\n0\r\n\r\n"),
        Bad("34", "unterminated quoted value", "5;a=\"x\r\n"),
        Bad("34", "space inside an extension value", "5;a=b c\r\nhello\r\n0\r\n\r\n"),
        Bad("34", "trailing whitespace after an extension", "5;a=b \r\nhello\r\n0\r\n\r\n"),
        Bad("34", "empty extension value", "5;a=\r\nhello\r\n0\r\n\r\n"),
        Bad("34", "chunk line over 4096 bytes", "5;a=" + new string('x', 4093) + "\r\nhello\r\n0\r\n\r\n"),
        Done("34", "chunk line of 4096 bytes", "5;a=" + new string('x', 4092) + "\r\nhello\r\n0\r\n\r\n", "hello"),
        Bad("35", "data followed by other bytes", "5\r\nhelloXX\r\n0\r\n\r\n"),
        Bad("35", "data followed by a bare LF", "5\r\nhello\n0\r\n\r\n"),
        Bad("35", "data followed by CR and no LF", "5\r\nhello\rX"),
        Done("36", "trailer fields are validated and dropped", "0\r\nX: y\r\nContent-Length: 5\r\n\r\n", ""),
        Bad("36", "trailer with obs-fold", "0\r\nX: y\r\n z\r\n\r\n"),
        Bad("36", "trailer with a bare CR", "0\r\nX: y\rz\r\n\r\n"),
        Bad("36", "trailer with SP before the colon", "0\r\nX : y\r\n\r\n"),
        Bad("36", "trailer with a NUL", "0\r\nX: \u0000\r\n\r\n"),
        Bad("36", "trailer line without colon", "0\r\nX\r\n\r\n"),
        Bad("36", "bare LF as the final line", "0\r\n\n"),
        Bad("36", "trailer line over the field limit", "0\r\nX: " + new string('v', 24820) + "\r\n\r\n", 431),
        Bad("36", "more trailers than the field limit", "0\r\n" + string.Concat(Enumerable.Repeat("X: y\r\n", 101)) + "\r\n", 431),
        More("47", "incomplete data", "5\r\nhel", "hel"),
        More("47", "no final CRLF yet", "5\r\nhello\r\n0\r\n", "hello"),
    ];

    public static TheoryData<string> Names() => [.. All.Select(v => v.Row + ": " + v.Name)];

    public static ChunkVector Named(string name) => All.Single(v => v.Row + ": " + v.Name == name);
}

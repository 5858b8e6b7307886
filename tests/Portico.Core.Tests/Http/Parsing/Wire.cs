using System.Text;

namespace Portico.Core.Tests.Http.Parsing;

/// <summary>Test messages are written as C# strings; each char U+0000-U+00FF is one byte on the wire.</summary>
internal static class Wire
{
    public static byte[] Bytes(string s) => Encoding.Latin1.GetBytes(s);

    public static string Text(ReadOnlySpan<byte> b) => Encoding.Latin1.GetString(b);

    public static string Text(byte[] buffer, Range r) => Encoding.Latin1.GetString(buffer.AsSpan()[r]);

    /// <summary>A minimal valid HTTP/1.1 GET with these extra field lines (each ending in CRLF).</summary>
    public static string Get(string fields = "") => "GET / HTTP/1.1\r\nHost: a\r\n" + fields + "\r\n";

    public static string Post(string fields) => "POST / HTTP/1.1\r\nHost: a\r\n" + fields + "\r\n";
}

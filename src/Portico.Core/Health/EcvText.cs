using System.Globalization;
using System.Text;

namespace Portico.Health;

/// <summary>
/// The strings of ECV monitors (<c>-send</c>, <c>-recv</c>, <c>-customHeaders</c>) may hold control
/// characters written as escapes: <c>\r</c>, <c>\n</c>, <c>\t</c>, <c>\\</c> and <c>\xHH</c>. Inside double quotes the
/// tokenizer already turns <c>\r</c>, <c>\n</c>, <c>\t</c> into the characters (as NetScaler does); these escapes also
/// serve the unquoted form <c>PING\r\n</c> and <c>\xHH</c>, which NetScaler's quotes do not have.
/// </summary>
internal static class EcvText
{
    public static string Decode(string text)
    {
        if (!text.Contains('\\', StringComparison.Ordinal))
        {
            return text;
        }

        var sb = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c != '\\' || i + 1 >= text.Length)
            {
                sb.Append(c);
                continue;
            }

            var next = text[++i];
            switch (next)
            {
                case 'r': sb.Append('\r'); break;
                case 'n': sb.Append('\n'); break;
                case 't': sb.Append('\t'); break;
                case '\\': sb.Append('\\'); break;
                case 'x' when i + 2 < text.Length && byte.TryParse(text.AsSpan(i + 1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var b):
                    sb.Append((char)b);
                    i += 2;
                    break;
                default: sb.Append('\\').Append(next); break;
            }
        }

        return sb.ToString();
    }

    /// <summary>The decoded text as bytes (Latin-1, so <c>\xHH</c> is the byte HH).</summary>
    public static byte[] Bytes(string text) => Encoding.Latin1.GetBytes(Decode(text));
}

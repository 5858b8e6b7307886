using System.Globalization;
using System.Text;

namespace Portico.Health.Probes;

/// <summary>Reading just enough of an HTTP/1.x response for a monitor: the status and where the body starts.</summary>
internal static class HttpResponseText
{
    /// <summary>The status code of a complete status line, 0 when the line is not complete yet, -1 when it is not HTTP.</summary>
    public static int Status(ReadOnlySpan<byte> data)
    {
        var end = data.IndexOf("\r\n"u8);
        if (end < 0)
        {
            return data.Length >= 5 && !data.StartsWith("HTTP/"u8) ? -1 : 0;
        }

        var line = data[..end];
        if (!line.StartsWith("HTTP/1."u8) || line.Length < 12 || line[8] != (byte)' ')
        {
            return -1;
        }

        return int.TryParse(Encoding.ASCII.GetString(line.Slice(9, 3)), NumberStyles.None, CultureInfo.InvariantCulture, out var status)
            ? status
            : -1;
    }

    /// <summary>Where the body starts (after the blank line), or -1 while headers are still coming.</summary>
    public static int BodyStart(ReadOnlySpan<byte> data)
    {
        var end = data.IndexOf("\r\n\r\n"u8);
        return end < 0 ? -1 : end + 4;
    }

    /// <summary>The Content-Length header's value, or null.</summary>
    public static long? ContentLength(ReadOnlySpan<byte> headers)
    {
        var text = Encoding.Latin1.GetString(headers);
        foreach (var line in text.Split("\r\n"))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0 && line.AsSpan(0, colon).Trim().Equals("Content-Length", StringComparison.OrdinalIgnoreCase)
                && long.TryParse(line.AsSpan(colon + 1).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var n))
            {
                return n;
            }
        }

        return null;
    }

    /// <summary>The first characters of a response, printable, for a reason line.</summary>
    public static string Excerpt(ReadOnlySpan<byte> data)
    {
        var text = Encoding.Latin1.GetString(data[..Math.Min(data.Length, 40)]);
        return new string([.. text.Select(c => c is >= ' ' and <= '~' ? c : '.')]);
    }
}

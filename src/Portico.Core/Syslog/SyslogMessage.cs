using System.Globalization;
using System.Text;
using Portico.Events;

namespace Portico.Syslog;

/// <summary>An event as an RFC 5424 syslog message: <c>&lt;PRI&gt;1 TIMESTAMP HOSTNAME portico PROCID MSGID - MSG</c>.</summary>
public static class SyslogMessage
{
    /// <summary>RFC 5424 §6.2.1 severities Portico uses.</summary>
    public const int Warning = 4;

    public const int Informational = 6;

    /// <summary>The event kinds that say something stopped working are warnings; the rest informational.</summary>
    public static int SeverityOf(string kind) =>
        kind.Contains("DOWN", StringComparison.Ordinal) || kind.Contains("FAIL", StringComparison.Ordinal)
        || kind.Contains("OUT_OF_SERVICE", StringComparison.Ordinal) || kind.Contains("DISABLED", StringComparison.Ordinal)
            ? Warning : Informational;

    /// <summary>The datagram for <paramref name="e"/>; LOCALn is facility 16 + n (RFC 5424 §6.2.1).</summary>
    public static byte[] Format(PorticoEvent e, int localFacility, string hostName, int processId)
    {
        var pri = ((16 + localFacility) * 8) + SeverityOf(e.Kind);

        // HOSTNAME, APP-NAME, PROCID and MSGID are PRINTUSASCII without spaces, at most 255/48/128/32 characters.
        var text = string.Create(CultureInfo.InvariantCulture,
            $"<{pri}>1 {e.Time.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss.fff'Z'} {Field(hostName, 255)} portico {processId} {Field(e.Kind, 32)} - {e.Entity}: {e.Message}");
        return Encoding.UTF8.GetBytes(text);
    }

    private static string Field(string value, int max)
    {
        var clean = new string([.. value.Where(c => c is > ' ' and <= '~')]);
        return clean.Length == 0 ? "-" : clean.Length > max ? clean[..max] : clean;
    }
}

using System.Net;

namespace Portico.Syslog;

/// <summary>
/// Where events go besides <c>show ns events</c> (<c>set audit syslogParams -serverIP ... -serverPort ...</c>):
/// a syslog server, one RFC 5424 datagram per event over UDP.
/// </summary>
/// <param name="Server">The syslog server; null: remote syslog is off (the default).</param>
/// <param name="Port">Its UDP port (default 514).</param>
/// <param name="Facility">NetScaler's <c>-logFacility</c>, LOCAL0 to LOCAL7 as 0..7 (default LOCAL0).</param>
/// <param name="Kept">NetScaler options kept and written back without effect, as written.</param>
public sealed record SyslogSettings(IPAddress? Server, int Port, int Facility, IReadOnlyList<CommandLanguage.KeptOption> Kept)
{
    public const int DefaultPort = 514;

    public static readonly SyslogSettings Off = new(null, DefaultPort, 0, []);
}

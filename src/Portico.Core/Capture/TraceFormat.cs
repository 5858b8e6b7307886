using Portico.CommandLanguage;

namespace Portico.Capture;

/// <summary>The file format of a trace (<c>-traceformat</c>).</summary>
public enum TraceFormat
{
    /// <summary>Classic libpcap files: one link type per file, read by every tool.</summary>
    Pcap,

    /// <summary>pcapng: several interfaces per file, comments, and TLS secrets Wireshark decrypts with.</summary>
    Pcapng,
}

/// <summary>The words of <see cref="TraceFormat"/> and their file extensions.</summary>
internal static class TraceFormats
{
    public static readonly KeywordMap<TraceFormat> Words = new(("PCAP", TraceFormat.Pcap), ("PCAPNG", TraceFormat.Pcapng));

    /// <summary>PCAP or PCAPNG; NetScaler's own NSCAP is refused with what to use instead.</summary>
    public static readonly ValueParser Parser = words =>
    {
        Values.ExpectCount(words, 1, 1);
        if (Words.TryParse(words[0].Text, out var format))
        {
            return format;
        }

        throw new ValueException(0, words[0].Text.Equals("NSCAP", StringComparison.OrdinalIgnoreCase)
            ? "NSCAP is NetScaler's own format; Portico writes PCAP or PCAPNG, which Wireshark and tcpdump read"
            : "expected PCAP or PCAPNG");
    };

    public static string Extension(this TraceFormat format) => format == TraceFormat.Pcap ? ".pcap" : ".pcapng";
}

using Portico.CommandLanguage;

namespace Portico.LoadBalancing;

/// <summary>How a vserver's traffic reaches its servers (<c>-m</c>, NetScaler's redirection mode).</summary>
public enum RedirectionMode
{
    /// <summary>The full proxy: Portico terminates the client's connection and opens its own to the server.</summary>
    Ip,

    /// <summary>Direct server return: Portico rewrites the destination MAC of the client's frames; servers answer the client directly.</summary>
    Mac,
}

/// <summary>The operator's words for <see cref="RedirectionMode"/>.</summary>
public static class RedirectionModes
{
    public static readonly KeywordMap<RedirectionMode> Words = new(("IP", RedirectionMode.Ip), ("MAC", RedirectionMode.Mac));

    public static readonly ValueParser Parser = words =>
    {
        Values.ExpectCount(words, 1, 1);
        if (Words.TryParse(words[0].Text, out var m))
        {
            return m;
        }

        throw words[0].Text.ToUpperInvariant() is "IPTUNNEL" or "TOS"
            ? new UnsupportedValueException(0, $"redirection mode {words[0].Text.ToUpperInvariant()} is not supported by Portico (IP and MAC are)")
            : new ValueException(0, "expected IP (full proxy) or MAC (direct server return)");
    };
}

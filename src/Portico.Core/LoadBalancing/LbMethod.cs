using Portico.CommandLanguage;

namespace Portico.LoadBalancing;

/// <summary>How a vserver chooses a service for a new connection or request (<c>-lbMethod</c>).</summary>
public enum LbMethod
{
    RoundRobin,
    LeastConnection,
    LeastResponseTime,
    SourceIpHash,
    SrcIpSrcPortHash,
    UrlHash,
    Maglev,
}

/// <summary>The operator's words for <see cref="LbMethod"/>.</summary>
public static class LbMethods
{
    public static readonly KeywordMap<LbMethod> Words = new(
        ("ROUNDROBIN", LbMethod.RoundRobin), ("LEASTCONNECTION", LbMethod.LeastConnection),
        ("LEASTRESPONSETIME", LbMethod.LeastResponseTime), ("SOURCEIPHASH", LbMethod.SourceIpHash),
        ("SRCIPSRCPORTHASH", LbMethod.SrcIpSrcPortHash), ("URLHASH", LbMethod.UrlHash), ("MAGLEV", LbMethod.Maglev));

    /// <summary>NetScaler methods Portico does not implement.</summary>
    private static readonly HashSet<string> Other = new(StringComparer.OrdinalIgnoreCase)
    {
        "DOMAINHASH", "DESTINATIONIPHASH", "SRCIPDESTIPHASH", "LEASTBANDWIDTH", "LEASTPACKETS", "TOKEN",
        "CUSTOMLOAD", "LEASTREQUEST", "CALLIDHASH", "USER_TOKEN",
    };

    public static readonly ValueParser Parser = words =>
    {
        Values.ExpectCount(words, 1, 1);
        if (Words.TryParse(words[0].Text, out var m))
        {
            return m;
        }

        throw Other.Contains(words[0].Text)
            ? new UnsupportedValueException(0, $"LB method {words[0].Text.ToUpperInvariant()} is not supported by Portico")
            : new ValueException(0, $"expected an LB method: {string.Join(", ", Words.Words)}");
    };
}

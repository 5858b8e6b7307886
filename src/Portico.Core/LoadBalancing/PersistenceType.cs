using Portico.CommandLanguage;

namespace Portico.LoadBalancing;

/// <summary>How a vserver keeps a client on the service it chose (<c>-persistenceType</c>).</summary>
public enum PersistenceType
{
    None,
    SourceIp,
    CookieInsert,
}

/// <summary>The operator's words for <see cref="PersistenceType"/>.</summary>
public static class PersistenceTypes
{
    public static readonly KeywordMap<PersistenceType> Words = new(
        ("NONE", PersistenceType.None), ("SOURCEIP", PersistenceType.SourceIp), ("COOKIEINSERT", PersistenceType.CookieInsert));

    private static readonly HashSet<string> Other = new(StringComparer.OrdinalIgnoreCase)
    {
        "SSLSESSION", "RULE", "URLPASSIVE", "CUSTOMSERVERID", "DESTIP", "SRCIPDESTIP", "CALLID", "RTSPSID",
        "DIAMETER", "FIXSESSION", "USERSESSION",
    };

    public static readonly ValueParser Parser = words =>
    {
        Values.ExpectCount(words, 1, 1);
        if (Words.TryParse(words[0].Text, out var p))
        {
            return p;
        }

        throw Other.Contains(words[0].Text)
            ? new UnsupportedValueException(0, $"persistence type {words[0].Text.ToUpperInvariant()} is not supported by Portico")
            : new ValueException(0, $"expected a persistence type: {string.Join(", ", Words.Words)}");
    };
}

using System.Collections.Frozen;

namespace Portico.Policies.Expressions;

/// <summary>
/// The starting points of expressions: objects (<c>HTTP.REQ</c>, <c>CLIENT.IP</c>) that only lead further, and
/// values (<c>HTTP.REQ.URL</c>, <c>CLIENT.IP.SRC</c>) that functions then apply to.
/// </summary>
internal static class Roots
{
    private static readonly FrozenDictionary<string, string[]> Objects = new Dictionary<string, string[]>
    {
        ["HTTP"] = ["REQ", "RES"],
        ["HTTP.REQ"] = ["URL", "HOSTNAME", "METHOD", "HEADER", "COOKIE", "IS_VALID"],
        ["HTTP.REQ.COOKIE"] = ["VALUE"],
        ["HTTP.RES"] = ["STATUS", "HEADER"],
        ["CLIENT"] = ["IP", "TCP", "SSL"],
        ["CLIENT.IP"] = ["SRC", "DST"],
        ["CLIENT.TCP"] = ["DSTPORT"],
        ["CLIENT.SSL"] = ["IS_SSL"],
        ["SYS"] = ["TIME"],
    }.ToFrozenDictionary();

    /// <summary>
    /// The one delegate that reads <c>HTTP.REQ.HOSTNAME</c>: a comparison whose receiver is this very delegate (no
    /// function applied in between) compares the host itself, which lets a cs table look a run of host rules up at once.
    /// </summary>
    internal static readonly Func<IPolicyRequest, string?> HostName = r => r.Host;

    private delegate Node ValueBuilder(ExpressionParser parser, string path, int column);

    private static readonly FrozenDictionary<string, ValueBuilder> Values = new Dictionary<string, ValueBuilder>
    {
        ["HTTP.REQ.URL"] = (_, p, _) => Node.Of(r => r.Target, p),
        ["HTTP.REQ.URL.PATH"] = (_, p, _) => Node.Of(r => PathOf(r.Target), p),
        ["HTTP.REQ.URL.QUERY"] = (_, p, _) => Node.Of(r => QueryOf(r.Target), p),
        ["HTTP.REQ.URL.PATH_AND_QUERY"] = (_, p, _) => Node.Of(r => r.Target, p),
        // Host names compare without regard to case (RFC 9110 section 4.2.3), as operators expect of a host rule.
        ["HTTP.REQ.HOSTNAME"] = (_, p, _) => Node.Of(HostName, p) with { IgnoreCase = true },
        ["HTTP.REQ.METHOD"] = (_, p, _) => Node.Of(r => r.Method, p),
        ["HTTP.REQ.HEADER"] = (x, p, _) => Named(x, p, name => r => r.Header(name)),
        ["HTTP.REQ.COOKIE.VALUE"] = (x, p, _) => Named(x, p, name => r => r.Cookie(name)),
        ["HTTP.REQ.IS_VALID"] = (_, p, _) => Node.Of(r => r.IsValid, p),
        ["HTTP.RES.STATUS"] = (_, p, _) => Node.Of(r => (long)r.ResponseStatus, p) with { ReadsResponse = true },
        ["HTTP.RES.HEADER"] = (x, p, _) => Named(x, p, name => r => r.ResponseHeader(name)) with { ReadsResponse = true },
        ["CLIENT.IP.SRC"] = (_, p, _) => Node.Of(r => r.ClientIp, p),
        ["CLIENT.IP.DST"] = (_, p, _) => Node.Of(r => r.LocalIp, p),
        ["CLIENT.TCP.DSTPORT"] = (_, p, _) => Node.Of(r => (long)r.LocalPort, p),
        ["CLIENT.SSL.IS_SSL"] = (_, p, _) => Node.Of(r => r.IsSsl, p),
        ["SYS.TIME"] = (x, p, _) => Clock(x.Context.Time, p),
    }.ToFrozenDictionary();

    /// <summary>
    /// Names of NetScaler's expression language that Portico does not implement: a rule using one is reported
    /// as unsupported by name (and kept), not as a syntax error.
    /// </summary>
    private static readonly FrozenSet<string> NetScalerNames = FrozenSet.Create(StringComparer.Ordinal,
        "AAA", "ANALYTICS", "DIAMETER", "DNS", "ICA", "MSSQL", "MYSQL", "ORACLE", "RADIUS", "SIP", "SMPP", "SUBSCRIBER",
        "TARGET", "SERVER", "TEXT", "URL", "VPN", "MQTT", "USER", "EXTENDED", "SSL",
        "BODY", "FULL_HEADER", "CONTENT_LENGTH", "VERSION", "IS_NTLM_OR_NEGOTIATE", "TRACE", "CACHE_CONTROL", "DATE",
        "SET_COOKIE", "LB_VSERVER", "CS_VSERVER", "TXID", "HEADERS", "LIST", "HOSTNAME_SERVER", "PROTOCOL", "IS_URL_SAFE",
        "SUFFIX", "PREFIX", "GET", "GET_REVERSE", "COUNT", "INSTANCE", "XPATH", "XPATH_JSON", "XPATH_HTML", "XPATH_HTML_WITH_MARKUP",
        "JSON", "URL_RESERVED_CHARS_SAFE", "SQL_XSS_SAFE", "B64ENCODE", "B64DECODE",
        "HASH", "SUBSTR", "SKIP", "SET_CHAR_SET", "TYPECAST_LIST_T", "TYPECAST_IP_ADDRESS_T", "TYPECAST_IPV6_ADDRESS_T",
        "TYPECAST_HTTP_URL_T", "TYPECAST_HTTP_HEADER_T", "TYPECAST_NVLIST_T", "TYPECAST_DOUBLE_T", "TYPECAST_UNSIGNED_LONG_T",
        "TYPECAST_TIME_T", "TYPECAST_DATE_T", "TYPECAST_HTTP_REQ_T", "CONTAINS_INDEX", "EQUALS_INDEX", "STARTSWITH_INDEX",
        "ENDSWITH_INDEX", "MD5", "SHA1", "SHA256", "SHA512", "HMAC", "ENCRYPT", "DECRYPT", "CLIENT_CERT", "CIPHER", "DOMAIN",
        "PORT", "SRCPORT", "MSS", "MAC", "VLAN_ID", "INTERFACE", "ISP", "ASNUM", "LOCATION", "COUNTRY_CODE", "IS_IPV6", "SUBNET",
        "APPLICATION", "ETHER", "SRC_PORT", "DST_PORT", "PAYLOAD", "REPEAT", "DNS_DOMAIN", "NUM", "NOT", "BETWEEN_DATE",
        "RELATIVE_BOOT", "RELATIVE_NOW", "DAYOFWEEK", "LOCAL", "EVAL_CLASSIC_EXPR", "HTTP_HOSTNAME", "CHECK_LIMIT", "LIMIT",
        "RANDOM", "HOSTNAME_DOMAIN", "IS_SSLV3", "SSLV3", "VERSION_MAJOR", "EXISTS_ANY", "CONTAINS_CHARS", "STRIP_CHARS",
        "STRIP_START_CHARS", "STRIP_END_CHARS", "REGEX_REPLACE", "REPLACE", "EXTRACT", "DECODE_USING_TEXT_MODE", "MATCHES",
        "UNQUOTE", "BLOB", "CLIENT", "SIZE", "RTT", "REGEX_SELECT_ANY", "SET_TEXT_MODE_URLENCODED", "IS_STRICT_HTTP",
        "SET_TEXT_MODE_PERSISTENT", "WEEKDAY_BETWEEN", "GMT", "LOCAL_TIME", "IS_SSL_VERSION");

    public static bool IsObject(string path) => Objects.ContainsKey(path);

    public static bool IsValue(string path) => Values.ContainsKey(path);

    public static bool IsNetScalerName(string name) => NetScalerNames.Contains(name);

    /// <summary>A name a named expression may not take: it would shadow a root of the language.</summary>
    public static bool IsReserved(string name) =>
        name.ToUpperInvariant() is var upper && (Objects.ContainsKey(upper) || upper is "TRUE" or "FALSE" || NetScalerNames.Contains(upper));

    /// <summary>What may follow an object, for the error message.</summary>
    public static string Members(string path) => string.Join(", ", Objects[path]);

    public static Node Value(ExpressionParser parser, string path, int column) =>
        Values[path](parser, path, column) is var node && path.StartsWith("HTTP.", StringComparison.Ordinal) ? node with { ReadsHttp = true } : node;

    /// <summary><c>HEADER("X")</c>, <c>COOKIE.VALUE("c")</c>: a literal name, fixed when compiled.</summary>
    private static Node Named(ExpressionParser parser, string path, Func<string, Func<IPolicyRequest, string?>> lookup)
    {
        var name = Arguments.LiteralText(parser, path, "the field's name");
        return Node.Of(lookup(name), $"{path}(\"{name}\")");
    }

    private static Node Clock(TimeProvider time, string path) => Node.Of(_ => time.GetUtcNow(), path);

    internal static string PathOf(string target)
    {
        var q = target.IndexOf('?', StringComparison.Ordinal);
        return q < 0 ? target : target[..q];
    }

    private static string QueryOf(string target)
    {
        var q = target.IndexOf('?', StringComparison.Ordinal);
        return q < 0 ? "" : target[(q + 1)..];
    }
}

using System.Text.RegularExpressions;

namespace Portico.Rewrite;

/// <summary>What a rewrite action changes: a part of the URL, the host, or one header field, of the request or the response.</summary>
public enum TargetPart
{
    Url,
    Path,
    Query,
    Host,
    Header,
}

/// <summary>
/// The target of <c>replace</c>, <c>insert_after</c>, <c>insert_before</c>, <c>replace_all</c> and <c>delete</c>:
/// an expression that names a place in the head. Portico changes heads only; a body target is unsupported by name.
/// </summary>
public sealed partial record RewriteTarget(bool Response, TargetPart Part, string? Header)
{
    public static RewriteTarget? Parse(string text)
    {
        var m = Shape().Match(text.Trim());
        if (!m.Success)
        {
            return null;
        }

        var response = m.Groups["side"].Value.Equals("RES", StringComparison.OrdinalIgnoreCase);
        var what = m.Groups["what"].Value.ToUpperInvariant();
        if (m.Groups["header"].Success)
        {
            return new RewriteTarget(response, TargetPart.Header, m.Groups["header"].Value);
        }

        if (response)
        {
            return null;
        }

        return what switch
        {
            "URL" or "URL.PATH_AND_QUERY" => new RewriteTarget(false, TargetPart.Url, null),
            "URL.PATH" => new RewriteTarget(false, TargetPart.Path, null),
            "URL.QUERY" => new RewriteTarget(false, TargetPart.Query, null),
            "HOSTNAME" => new RewriteTarget(false, TargetPart.Host, "Host"),
            _ => null,
        };
    }

    [GeneratedRegex("""^HTTP\.(?<side>REQ|RES)\.(?<what>URL\.PATH_AND_QUERY|URL\.PATH|URL\.QUERY|URL|HOSTNAME|HEADER\("(?<header>[!#$%&'*+\-.^_`|~0-9A-Za-z]+)"\))$""", RegexOptions.IgnoreCase)]
    private static partial Regex Shape();
}

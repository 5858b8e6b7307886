namespace Portico.Admin.Dashboard;

/// <summary>
/// The strict reading of a dashboard request's raw target, before anything looks a file up. The management GUI
/// is where a path traversal once opened a whole appliance (CVE-2019-19781), so the rule is narrow on purpose:
/// after <c>/gui/</c> only letters, digits, <c>-</c>, <c>_</c>, <c>.</c> and <c>/</c>, no percent-encoding at all
/// (so <c>%2e%2e</c>, <c>%2f</c>, <c>%252e</c> and <c>%00</c> never reach a name), no <c>.</c> or <c>..</c> segment,
/// no empty segment. Files are then found only in the list of embedded assets, never on disk.
/// </summary>
internal static class DashboardPath
{
    public const string Prefix = "/gui/";

    /// <summary>The path after <c>/gui/</c> (<c>""</c> for the page itself), or null with why it is refused.</summary>
    public static string? Read(string rawTarget, out string? refusal)
    {
        var path = rawTarget.Split('?', 2)[0];
        refusal = null;
        if (!path.StartsWith(Prefix, StringComparison.Ordinal))
        {
            refusal = "the dashboard lives under /gui/";
            return null;
        }

        var rest = path[Prefix.Length..];
        if (rest.Length > 256)
        {
            refusal = "path too long";
            return null;
        }

        foreach (var c in rest)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '/'))
            {
                refusal = c == '%'
                    ? "percent-encoded characters are refused in dashboard paths"
                    : $"character U+{(int)c:X4} is refused in dashboard paths";
                return null;
            }
        }

        if (rest.Length > 0 && rest.Split('/').Any(s => s is "" or "." or ".."))
        {
            refusal = "'.', '..' and empty path segments are refused";
            return null;
        }

        return rest;
    }
}

namespace Portico.Compression;

/// <summary>
/// What is never compressed, whatever the policies say: a response already coded, one that forbids transforms, a
/// status whose body is not the representation, a body known to be too small, and types that are compressed
/// already. Asked before the policies run, from the response head alone.
/// </summary>
public static class CmpEligibility
{
    /// <summary>Media types whose bodies are compressed by their own format: a second coding only costs CPU.</summary>
    private static readonly string[] Compressed =
    [
        "application/zip", "application/gzip", "application/x-gzip", "application/x-bzip2", "application/x-xz", "application/x-7z-compressed",
        "application/x-rar-compressed", "application/vnd.rar", "application/zstd", "application/x-zstd", "application/octet-stream", "application/pdf",
        "application/font-woff", "application/x-font-woff", "font/woff", "font/woff2", "application/java-archive", "application/x-compress",
    ];

    /// <summary>Why a response must pass uncompressed, or null when the policies may compress it.</summary>
    /// <param name="contentLength">The body's length when Content-Length frames it; null for chunked and close-delimited bodies.</param>
    public static string? Refusal(int status, string? contentEncoding, string? cacheControl, string? contentType, long? contentLength, long minResSize)
    {
        if (status is 206)
        {
            return "206: a range of the representation";
        }

        if (status is < 200 or 204 or 304)
        {
            return "no body to compress";
        }

        if (contentEncoding is not null && !contentEncoding.Trim().Equals("identity", StringComparison.OrdinalIgnoreCase))
        {
            return "already has a Content-Encoding";
        }

        if (cacheControl is not null && HasDirective(cacheControl, "no-transform"))
        {
            return "Cache-Control: no-transform";
        }

        if (contentLength is { } length && (length == 0 || length < minResSize))
        {
            return "smaller than -minResSize";
        }

        if (contentType is not null && IsCompressedType(contentType))
        {
            return "an already compressed type";
        }

        return null;
    }

    /// <summary>image/*, video/*, audio/* (SVG excepted: it is XML text) and the archive and font types above.</summary>
    public static bool IsCompressedType(string contentType)
    {
        var semicolon = contentType.IndexOf(';', StringComparison.Ordinal);
        var type = (semicolon < 0 ? contentType : contentType[..semicolon]).Trim();
        if (type.StartsWith("image/", StringComparison.OrdinalIgnoreCase))
        {
            return !type.Equals("image/svg+xml", StringComparison.OrdinalIgnoreCase) && !type.Equals("image/x-icon", StringComparison.OrdinalIgnoreCase)
                && !type.Equals("image/bmp", StringComparison.OrdinalIgnoreCase);
        }

        return type.StartsWith("video/", StringComparison.OrdinalIgnoreCase) || type.StartsWith("audio/", StringComparison.OrdinalIgnoreCase)
            || Compressed.Any(c => c.Equals(type, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>A Cache-Control directive by name (its list split on commas; a directive's argument ignored).</summary>
    public static bool HasDirective(string cacheControl, string directive)
    {
        foreach (var part in cacheControl.Split(','))
        {
            var d = part.Trim();
            var eq = d.IndexOf('=', StringComparison.Ordinal);
            if ((eq < 0 ? d : d[..eq].TrimEnd()).Equals(directive, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The codings an action allows.</summary>
    public static CodingSet Allowed(CmpType type) => type switch
    {
        CmpType.Compress => CodingSet.All,
        CmpType.Gzip => CodingSet.Gzip,
        CmpType.Deflate => CodingSet.Deflate,
        _ => CodingSet.None,
    };

    /// <summary>A strong entity tag made weak: the compressed bytes differ from the member's (RFC 9110 section 8.8.1).</summary>
    public static string? Weaken(string? etag) => etag is null || etag.StartsWith("W/", StringComparison.Ordinal) ? null : "W/" + etag;

    /// <summary>The Vary value after adding Accept-Encoding, or null when it names it already (or is <c>*</c>).</summary>
    public static string? MergeVary(string? vary)
    {
        if (string.IsNullOrWhiteSpace(vary))
        {
            return "Accept-Encoding";
        }

        foreach (var part in vary.Split(','))
        {
            var name = part.Trim();
            if (name == "*" || name.Equals("Accept-Encoding", StringComparison.OrdinalIgnoreCase))
            {
                return null;
            }
        }

        return vary.TrimEnd() + ", Accept-Encoding";
    }
}

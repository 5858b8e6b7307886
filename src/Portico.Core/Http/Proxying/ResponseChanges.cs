using System.Text;

namespace Portico.Http.Proxying;

/// <summary>
/// The changes the validator plan makes to one response head: the ETag (replaced or removed), whether Portico answers
/// 304, and the expiry fields. One instance per client connection, reset per response.
/// </summary>
internal sealed class ResponseChanges
{
    /// <summary>The fields a 304 carries (RFC 9110 section 15.4.5), and Set-Cookie, which is not representation metadata.</summary>
    private static readonly byte[][] NotModifiedFields =
        ["Cache-Control"u8.ToArray(), "Content-Location"u8.ToArray(), "Date"u8.ToArray(), "ETag"u8.ToArray(), "Expires"u8.ToArray(), "Vary"u8.ToArray(), "Set-Cookie"u8.ToArray()];

    /// <summary>The member's ETag field is replaced by <see cref="ETag"/>, or removed when that is null.</summary>
    public bool ETagChanged;

    public string? ETag;

    /// <summary>The whole new Cache-Control value (the member's fields are replaced); null: unchanged.</summary>
    public string? CacheControl;

    /// <summary>The new Expires value, set with <see cref="CacheControl"/>.</summary>
    public string? Expires;

    /// <summary>Portico answers 304 instead of the member's 200.</summary>
    public bool NotModified;

    /// <summary>The 304 carries Last-Modified: the representation has no ETag to guide the cache.</summary>
    public bool KeepsLastModified;

    public void Reset()
    {
        ETagChanged = false;
        ETag = null;
        CacheControl = null;
        Expires = null;
        NotModified = false;
        KeepsLastModified = false;
    }

    /// <summary>True for a member's field these changes replace or remove.</summary>
    public bool Replaces(ReadOnlySpan<byte> name) =>
        (ETagChanged && Ascii.EqualsIgnoreCase(name, "ETag"u8))
        || (CacheControl is not null && (Ascii.EqualsIgnoreCase(name, "Cache-Control"u8) || Ascii.EqualsIgnoreCase(name, "Expires"u8)));

    /// <summary>The fields these changes add after the member's.</summary>
    public IEnumerable<(string Name, string Value)> Added()
    {
        if (ETagChanged && ETag is not null)
        {
            yield return ("ETag", ETag);
        }

        if (CacheControl is not null)
        {
            yield return ("Cache-Control", CacheControl);
            yield return ("Expires", Expires!);
        }
    }

    /// <summary>The changes on a head as text (after rewrite's edits).</summary>
    public void ApplyTo(List<(string Name, string Value)> fields)
    {
        fields.RemoveAll(f => Replaces(Encoding.Latin1.GetBytes(f.Name)));
        fields.AddRange(Added());
    }

    /// <summary>True for a field a 304 carries.</summary>
    public static bool KeptIn304(ReadOnlySpan<byte> name, bool keepsLastModified)
    {
        foreach (var kept in NotModifiedFields)
        {
            if (Ascii.EqualsIgnoreCase(name, kept))
            {
                return true;
            }
        }

        return keepsLastModified && Ascii.EqualsIgnoreCase(name, "Last-Modified"u8);
    }
}

namespace Portico.Validation;

/// <summary>
/// An entity tag (RFC 9110 section 8.8.3): an opaque string between double quotes, weak when it starts with
/// <c>W/</c>. <see cref="Opaque"/> holds the characters between the quotes.
/// </summary>
public readonly record struct EntityTag(string Opaque, bool Weak)
{
    /// <summary>Parses one entity tag at the start of <paramref name="text"/>; <paramref name="length"/> is the characters it took.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out EntityTag tag, out int length)
    {
        tag = default;
        length = 0;
        var weak = text.StartsWith("W/", StringComparison.Ordinal);
        var at = weak ? 2 : 0;
        if (at >= text.Length || text[at] != '"')
        {
            return false;
        }

        var end = at + 1;
        while (end < text.Length && IsTagChar(text[end]))
        {
            end++;
        }

        if (end >= text.Length || text[end] != '"')
        {
            return false;
        }

        tag = new EntityTag(text[(at + 1)..end].ToString(), weak);
        length = end + 1;
        return true;
    }

    /// <summary>Parses a field value that must be exactly one entity tag (an ETag field), blanks around it allowed.</summary>
    public static bool TryParseField(ReadOnlySpan<char> value, out EntityTag tag)
    {
        var trimmed = value.Trim(" \t");
        return TryParse(trimmed, out tag, out var length) && length == trimmed.Length;
    }

    /// <summary>Strong comparison (RFC 9110 section 8.8.3.2): both strong and the same opaque string.</summary>
    public bool StrongEquals(EntityTag other) => !Weak && !other.Weak && string.Equals(Opaque, other.Opaque, StringComparison.Ordinal);

    /// <summary>Weak comparison: the same opaque string, whatever the weakness of either.</summary>
    public bool WeakEquals(EntityTag other) => string.Equals(Opaque, other.Opaque, StringComparison.Ordinal);

    /// <summary>The tag as a field value: <c>"x"</c> or <c>W/"x"</c>.</summary>
    public override string ToString() => (Weak ? "W/\"" : "\"") + Opaque + "\"";

    /// <summary>etagc: %x21 / %x23-7E / obs-text; a blank, a quote or a control ends the tag.</summary>
    private static bool IsTagChar(char c) => c == 0x21 || (c >= 0x23 && c <= 0x7E) || (c >= 0x80 && c <= 0xFF);
}

namespace Portico.Validation;

/// <summary>
/// The value of a request's <c>If-None-Match</c> fields (RFC 9110 section 13.1.2): <c>*</c>, or a list of entity tags.
/// Parsing is bounded (<see cref="MaxTags"/>); a value that is not that grammar is not a condition at all, so the
/// request is answered as if it had none (a full response is always a correct answer to a conditional request).
/// </summary>
public sealed class IfNoneMatch
{
    /// <summary>More tags than this and the field is ignored: no client keeps that many variants of one resource.</summary>
    public const int MaxTags = 64;

    private readonly EntityTag[] _tags;

    private IfNoneMatch(bool any, EntityTag[] tags)
    {
        Any = any;
        _tags = tags;
    }

    /// <summary><c>If-None-Match: *</c>: true for any current representation.</summary>
    public bool Any { get; }

    public IReadOnlyList<EntityTag> Tags => _tags;

    /// <summary>
    /// Parses the combined value of every <c>If-None-Match</c> field (joined by commas). Null for a value that is
    /// malformed, empty, mixes <c>*</c> with tags, or lists more than <see cref="MaxTags"/> tags.
    /// </summary>
    public static IfNoneMatch? Parse(ReadOnlySpan<char> value)
    {
        var trimmed = value.Trim(" \t");
        if (trimmed.SequenceEqual("*"))
        {
            return new IfNoneMatch(true, []);
        }

        var tags = new List<EntityTag>();
        var rest = trimmed;
        while (true)
        {
            // Empty list elements are allowed and ignored (RFC 9110 section 5.6.1).
            rest = rest.TrimStart(" \t,");
            if (rest.IsEmpty)
            {
                break;
            }

            if (!EntityTag.TryParse(rest, out var tag, out var used) || tags.Count == MaxTags)
            {
                return null;
            }

            tags.Add(tag);
            rest = rest[used..].TrimStart(" \t");
            if (!rest.IsEmpty && rest[0] != ',')
            {
                return null;
            }
        }

        return tags.Count == 0 ? null : new IfNoneMatch(false, [.. tags]);
    }

    /// <summary>
    /// The condition's value for a representation whose current tag is <paramref name="current"/> (null: none):
    /// false ("none match" fails, so 304) when <c>*</c> and a representation exists, or when a listed tag matches
    /// it by weak comparison, as RFC 9110 requires for <c>If-None-Match</c>.
    /// </summary>
    public bool NoneMatch(EntityTag? current, bool representationExists = true)
    {
        if (Any)
        {
            return !representationExists;
        }

        if (current is not { } tag)
        {
            return true;
        }

        foreach (var t in _tags)
        {
            if (t.WeakEquals(tag))
            {
                return false;
            }
        }

        return true;
    }
}

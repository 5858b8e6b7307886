namespace Portico.Validation;

/// <summary>What a conditional GET or HEAD gets: the representation, or <c>304 Not Modified</c>.</summary>
public enum ConditionalResult
{
    /// <summary>No condition, a condition that holds, or one that cannot be evaluated: send the representation.</summary>
    Proceed,

    /// <summary>The client's copy is current: answer 304 with the validator and cache fields only.</summary>
    NotModified,
}

/// <summary>
/// The precondition logic of RFC 9110 section 13.2.2 for a GET or HEAD whose response would be 200, as pure functions,
/// shared by the engine (ETag NORMALIZE and STRIP answer conditional requests themselves) and any store of responses.
/// Only <c>If-None-Match</c> and <c>If-Modified-Since</c> are evaluated: <c>If-Match</c> and
/// <c>If-Unmodified-Since</c> guard changes and stay the origin's business.
/// </summary>
public static class Conditional
{
    /// <summary>
    /// Evaluates a request's <c>If-None-Match</c> and <c>If-Modified-Since</c> (combined field values, null when
    /// absent) against the representation the client would get: its entity tag and <c>Last-Modified</c> as sent to
    /// the client (null when none). Steps 3 and 4 of RFC 9110 section 13.2.2: <c>If-None-Match</c> decides by weak
    /// comparison when present, and then <c>If-Modified-Since</c> is ignored (also when the If-None-Match value is
    /// malformed, which makes it no condition); else <c>If-Modified-Since</c> holds when the representation has not
    /// changed since that date. A date that is not an HTTP date is ignored. Call it only for GET and HEAD whose
    /// response is a 200.
    /// </summary>
    /// <param name="now">The time, to read the two-digit years of obsolete dates.</param>
    public static ConditionalResult Evaluate(string? ifNoneMatch, string? ifModifiedSince, EntityTag? etag, DateTimeOffset? lastModified, DateTimeOffset now)
    {
        if (ifNoneMatch is not null)
        {
            return IfNoneMatch.Parse(ifNoneMatch) is { } condition && !condition.NoneMatch(etag) ? ConditionalResult.NotModified : ConditionalResult.Proceed;
        }

        if (ifModifiedSince is not null && lastModified is { } modified && HttpDate.TryParse(ifModifiedSince, now, out var since) && modified <= since)
        {
            return ConditionalResult.NotModified;
        }

        return ConditionalResult.Proceed;
    }
}

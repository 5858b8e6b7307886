namespace Portico.Validation;

/// <summary>What <see cref="ETagNormalization.Normalize"/> decided for one response's ETag.</summary>
/// <param name="Action">Keep the member's field, replace it with <paramref name="Tag"/>, or remove it.</param>
/// <param name="Tag">The tag the client gets (the member's when kept and valid); null when removed or not a valid tag.</param>
public readonly record struct NormalizedETag(ETagAction Action, EntityTag? Tag);

/// <summary>The three outcomes of normalising a tag.</summary>
public enum ETagAction
{
    Keep,
    Replace,
    Remove,
}

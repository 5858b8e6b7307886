namespace Portico.Validation;

/// <summary>
/// What a vserver's HTTP profile asks of its responses, compiled once per config: the ETag mode and the expiry
/// rules. Profiles that ask neither have no plan, and their responses take the engine's ordinary path.
/// </summary>
public sealed record ValidatorPlan(ETagMode ETag, ExpiryRules? Expires)
{
    /// <summary>The plan of a profile, or null when it keeps tags and sets no expiry.</summary>
    public static ValidatorPlan? For(ETagMode etag, ExpiryRules? expires) => etag == ETagMode.Keep && expires is null ? null : new(etag, expires);

    /// <summary>Portico answers conditional GET and HEAD requests itself: members' tags are not the client's.</summary>
    public bool AnswersConditionals => ETag != ETagMode.Keep;
}

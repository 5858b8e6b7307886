namespace Portico.Validation;

/// <summary>What Portico does with members' entity tags (<c>-eTag</c> of an HTTP profile).</summary>
public enum ETagMode
{
    /// <summary>KEEP (the default): tags and conditional requests pass as they are.</summary>
    Keep,

    /// <summary>STRIP: responses lose their ETag; clients revalidate with Last-Modified.</summary>
    Strip,

    /// <summary>NORMALIZE: one tag per object whichever member answers (<see cref="ETagNormalization"/>).</summary>
    Normalize,
}

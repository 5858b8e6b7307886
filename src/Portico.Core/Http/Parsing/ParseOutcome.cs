namespace Portico.Http.Parsing;

/// <summary>What a head parser made of the bytes it was given.</summary>
public enum ParseOutcome
{
    /// <summary>The head is not complete yet and no limit is passed: read more and parse again from the start.</summary>
    NeedMore,

    /// <summary>The head is complete and valid; its results are in the head object.</summary>
    Complete,

    /// <summary>The head is invalid (or a limit is passed); the head's <c>Error</c> says how to answer.</summary>
    Invalid,
}

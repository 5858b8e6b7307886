namespace Portico.Responder;

/// <summary>What the responder decided for one request.</summary>
public enum ResponderVerdict
{
    /// <summary>Nothing matched (or only NOOP): the request goes on to be balanced.</summary>
    Continue,

    /// <summary>Answer with <see cref="ResponderDecision.Status"/>, headers and body; the member is never asked.</summary>
    Respond,

    /// <summary>Close the connection without an answer.</summary>
    Drop,

    /// <summary>Reset the connection.</summary>
    Reset,
}

/// <summary>A responder's answer: the status, the extra header fields (<c>Location</c>), the body and its type.</summary>
public sealed record ResponderDecision(ResponderVerdict Verdict, int Status = 0, string? Reason = null, string? Location = null, string Body = "",
    string? ContentType = null)
{
    public static readonly ResponderDecision Continue = new(ResponderVerdict.Continue);

    public static readonly ResponderDecision Drop = new(ResponderVerdict.Drop);

    public static readonly ResponderDecision Reset = new(ResponderVerdict.Reset);

    /// <summary>Header fields of a whole response written in a respondwith target, other than the framing Portico sets.</summary>
    public IReadOnlyList<(string Name, string Value)> Fields { get; init; } = [];
}

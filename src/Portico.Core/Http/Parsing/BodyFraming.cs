namespace Portico.Http.Parsing;

/// <summary>How the body of a message is delimited (RFC 9112 §6.3).</summary>
public enum BodyFraming
{
    /// <summary>No body at all (no CL and no TE in a request; HEAD, 1xx, 204, 304 responses).</summary>
    None,

    /// <summary>Exactly <c>ContentLength</c> bytes follow the head (0 is possible).</summary>
    ContentLength,

    /// <summary>Chunked: decode with <see cref="ChunkedDecoder"/>.</summary>
    Chunked,

    /// <summary>Responses only: the body runs until the server closes the connection.</summary>
    CloseDelimited,
}

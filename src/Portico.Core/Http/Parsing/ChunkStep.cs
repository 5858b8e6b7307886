namespace Portico.Http.Parsing;

/// <summary>What one <see cref="ChunkedDecoder.Next"/> call found.</summary>
public enum ChunkStep
{
    /// <summary>All of the input was consumed; more is needed.</summary>
    NeedMore,

    /// <summary>A run of payload bytes is in the input (dataStart, dataLength); call again with the rest.</summary>
    Data,

    /// <summary>The last chunk, the trailers and the final CRLF were consumed; the body is over.</summary>
    Done,

    /// <summary>The chunked framing is invalid; <see cref="ChunkedDecoder.Error"/> says why.</summary>
    Invalid,
}

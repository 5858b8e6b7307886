namespace Portico.Http.Parsing;

/// <summary>The registered methods the engine treats specially; any other valid token is <see cref="Other"/> and is forwarded.</summary>
public enum KnownMethod
{
    Other,
    Get,
    Head,
    Post,
    Put,
    Delete,
    Options,
    Trace,
    Connect,
    Patch,
}

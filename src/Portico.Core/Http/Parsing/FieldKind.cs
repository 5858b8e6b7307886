namespace Portico.Http.Parsing;

/// <summary>The field names the parser or the engine acts on; every other name is <see cref="Other"/>.</summary>
public enum FieldKind
{
    Other,
    Host,
    ContentLength,
    TransferEncoding,
    Connection,
    KeepAlive,
    ProxyConnection,
    TE,
    Trailer,
    Upgrade,
    Expect,
    Cookie,
    XForwardedFor,
    XForwardedProto,
    SetCookie,
    Date,
    Server,
    ContentType,
    Location,
    Forwarded,
    Via,
}

namespace Portico.Http.Parsing;

/// <summary>The four forms of request-target (RFC 9112 §3.2).</summary>
public enum TargetForm
{
    /// <summary><c>/path?query</c>.</summary>
    Origin,

    /// <summary><c>http://authority/path?query</c>; the authority must match Host.</summary>
    Absolute,

    /// <summary><c>host:port</c>, CONNECT only.</summary>
    Authority,

    /// <summary><c>*</c>, OPTIONS only.</summary>
    Asterisk,
}

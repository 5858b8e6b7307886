namespace Portico.Http.Parsing;

/// <summary>
/// Why a message was refused. <paramref name="Status"/> is what to answer: 400, 413, 414, 417, 431, 501 or 505 for
/// requests, 502 for responses. <paramref name="Reason"/> is a static string (no allocation), fit for a log line.
/// </summary>
public readonly record struct ParseError(int Status, string Reason);

namespace Portico.Dsr;

/// <summary>The DSR path cannot serve on an interface; the message says why in the operator's words.</summary>
public sealed class DsrException(string message) : Exception(message);

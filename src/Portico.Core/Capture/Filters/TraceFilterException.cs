namespace Portico.Capture.Filters;

/// <summary>A filter that cannot be used: an unknown name, a BPF syntax error; the message says what to write instead.</summary>
internal sealed class TraceFilterException(string message) : Exception(message);

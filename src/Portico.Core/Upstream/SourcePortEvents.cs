namespace Portico.Upstream;

/// <summary>The kinds of event the source-port concern records (<c>show ns events</c>).</summary>
public static class SourcePortEvents
{
    /// <summary>A member refused a client for want of a source port: the message says which sources and what to add.</summary>
    public const string Starved = "SOURCE_PORTS_STARVED";

    /// <summary>Connects to a starved member succeed again.</summary>
    public const string Recovered = "SOURCE_PORTS_AVAILABLE";
}

namespace Portico.Http.Listening;

/// <summary>How the L7 listeners stop, given at composition (the process's drain timeout).</summary>
/// <param name="DrainTimeout">How long requests in flight may go on once Portico stops, before they are cut.</param>
public sealed record HttpListenerOptions(TimeSpan DrainTimeout)
{
    /// <summary>The drain timeout when the composition names none.</summary>
    public static readonly TimeSpan DefaultDrainTimeout = TimeSpan.FromSeconds(10);
}

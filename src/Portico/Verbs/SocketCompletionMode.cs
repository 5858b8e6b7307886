namespace Portico.Verbs;

/// <summary>Where .NET runs the continuation of a socket operation that completes asynchronously.</summary>
public enum SocketCompletions
{
    /// <summary>On the socket engine's own thread, at once: no hand-off to the thread pool per read or write.</summary>
    Inline,

    /// <summary>.NET's default: queued to the thread pool.</summary>
    ThreadPool,
}

/// <summary>
/// Sets .NET's socket completion mode for the process. .NET reads it once, when its socket engine starts (the first
/// asynchronous socket operation), so this runs before anything listens. Inline completions remove the thread-pool
/// hand-off of every HTTP read and write (docs/design/l7-engine.md has the numbers); the price is that a continuation
/// that blocks would stall other sockets, so Portico's data paths never block, and work that may (config changes from
/// the admin socket) moves to the thread pool first.
/// </summary>
internal static class SocketCompletionMode
{
    private const string Variable = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    public static void Apply(SocketCompletions mode)
    {
        // An operator's own setting of the variable wins: it is the documented .NET knob.
        if (Environment.GetEnvironmentVariable(Variable) is null)
        {
            Environment.SetEnvironmentVariable(Variable, mode == SocketCompletions.Inline ? "1" : "0");
        }
    }
}

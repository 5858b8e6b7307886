namespace Portico.Runtime;

/// <summary>
/// The current runtime model, and when it changes. Concerns that follow the runtime (health monitors,
/// the counters history, capture, ACL events, query handlers) take this rather than the engine that
/// publishes it, so every dependency points down to <c>Runtime/</c>.
/// </summary>
public interface IRuntimeSource
{
    /// <summary>The model the data paths serve now; swapped whole, so read it once per decision.</summary>
    RuntimeModel Current { get; }

    /// <summary>Raised after a new model is in force and the listeners are reconciled, on the thread that applied the batch.</summary>
    event Action<RuntimeModel>? Changed;
}

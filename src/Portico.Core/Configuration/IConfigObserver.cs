namespace Portico.Configuration;

/// <summary>
/// Where an observer's change takes effect in the one publish sequence of a batch. Every observer of an
/// earlier stage has committed before any observer of a later stage commits; the order is documented in
/// docs/design/architecture.md ("One change channel").
/// </summary>
public enum ConfigStage
{
    /// <summary>What decides whether a connection is admitted: ACLs and the GeoIP database. In force before any listener of the batch opens.</summary>
    Admission = 0,

    /// <summary>The compiled runtime model, its listeners (with their certificates) and the followers of <c>Runtime.IRuntimeSource</c>.</summary>
    Runtime = 1,
}

/// <summary>
/// Follows the configuration through the store's one change channel: compiles its part of a candidate
/// snapshot while the old one still serves (an exception rejects the whole batch, nothing changed),
/// then puts it in force once the snapshot is swapped.
/// </summary>
public interface IConfigObserver
{
    ConfigStage Stage { get; }

    /// <summary>
    /// Compiles what <paramref name="next"/> needs; throws to reject the batch. Must not change what is in force
    /// (no subscription, no state lifted): a later observer may still reject the batch.
    /// </summary>
    IPreparedChange Prepare(RunningConfig previous, RunningConfig next);
}

/// <summary>A compiled change, waiting for its turn in the commit order.</summary>
public interface IPreparedChange
{
    /// <summary>
    /// Puts the change in force; returns warnings for the operator (a port in use...). The snapshot is already
    /// swapped: a failure here is reported as a warning and the later stages still commit.
    /// </summary>
    IReadOnlyList<string> Commit();
}

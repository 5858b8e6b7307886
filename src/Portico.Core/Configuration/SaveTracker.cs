namespace Portico.Configuration;

/// <summary>
/// Whether the running config differs from the config file: NetScaler's "configuration changed since the last
/// save" (<c>show ns config</c>, the CLI prompt's <c>*</c>). It follows the change channel like any observer, so
/// every applied batch counts, from the CLI, a reload or any other front end; <see cref="MarkSaved"/> is called by
/// whatever makes the file and the running config the same (the start from the file, <c>save ns config</c>, a reload).
/// </summary>
public sealed class SaveTracker(TimeProvider time) : IConfigObserver
{
    private readonly Lock _lock = new();
    private readonly TimeProvider _time = time;
    private long _savedGeneration;
    private long _changedGeneration;

    public ConfigStage Stage => ConfigStage.Runtime;

    /// <summary>When a batch last changed the running config; null before the first.</summary>
    public DateTimeOffset? LastChanged { get; private set; }

    /// <summary>When the running config last matched the file (written, read at start or reloaded); null if never.</summary>
    public DateTimeOffset? LastSaved { get; private set; }

    /// <summary>Batches applied since the running config last matched the file.</summary>
    public long ChangesSinceSave
    {
        get
        {
            lock (_lock)
            {
                return Math.Max(0, _changedGeneration - _savedGeneration);
            }
        }
    }

    /// <summary>True when a batch has changed the running config since it last matched the file.</summary>
    public bool Unsaved => ChangesSinceSave > 0;

    /// <summary>Records that <paramref name="config"/> is what the file now holds.</summary>
    public void MarkSaved(RunningConfig config)
    {
        lock (_lock)
        {
            _savedGeneration = Math.Max(_savedGeneration, config.Generation);
            LastSaved = _time.GetUtcNow();
        }
    }

    public IPreparedChange Prepare(RunningConfig previous, RunningConfig next) => new Change(this, next.Generation);

    private sealed class Change(SaveTracker tracker, long generation) : IPreparedChange
    {
        public IReadOnlyList<string> Commit()
        {
            lock (tracker._lock)
            {
                tracker._changedGeneration = Math.Max(tracker._changedGeneration, generation);
                tracker.LastChanged = tracker._time.GetUtcNow();
            }

            return [];
        }
    }
}

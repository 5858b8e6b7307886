namespace Portico.Runtime;

/// <summary>
/// A primary vserver held on its backup by <c>-disablePrimaryOnDown ENABLED</c>: set when the vserver
/// goes DOWN, kept while its services recover, released only by <c>enable lb vserver</c>. Shared across
/// config generations by vserver name, like its counters.
/// </summary>
public sealed class PrimaryHold
{
    private readonly Lock _lock = new();
    private volatile bool _held;

    public bool IsHeld => _held;

    /// <summary>When the hold began.</summary>
    public DateTimeOffset Since { get; private set; }

    /// <summary>The config generation running when the hold began; an <c>enable lb vserver</c> in a later one releases it.</summary>
    public long Generation { get; private set; }

    /// <summary>Holds the primary on its backup; false when it already was.</summary>
    public bool TryHold(DateTimeOffset at, long generation)
    {
        lock (_lock)
        {
            if (_held)
            {
                return false;
            }

            Since = at;
            Generation = generation;
            _held = true;
            return true;
        }
    }

    public void Release() => _held = false;
}

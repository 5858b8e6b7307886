namespace Portico.Runtime;

/// <summary>
/// Whether a member is starved of source ports now: an episode starts at the first connect that finds
/// no free port and ends at the next one that succeeds. The operator hears of each episode once (a log
/// line and an event), not of every refused client. Carried over config changes with the member.
/// </summary>
public sealed class SourcePortStatus
{
    private readonly Lock _lock = new();
    private int _starved;

    /// <summary>When the current or last episode started; null if the member never ran out.</summary>
    public DateTimeOffset? Since { get; private set; }

    /// <summary>What the last refused connect lacked (the sources tried, or the USIP client).</summary>
    public string? LastDetail { get; private set; }

    /// <summary>What the operator can do about it.</summary>
    public string? Advice { get; private set; }

    /// <summary>True while connects to the member keep finding no free port.</summary>
    public bool IsStarved => Volatile.Read(ref _starved) != 0;

    /// <summary>Records a refused connect; true when it starts an episode (tell the operator).</summary>
    internal bool Starve(string detail, string advice, DateTimeOffset now)
    {
        lock (_lock)
        {
            LastDetail = detail;
            Advice = advice;
            if (_starved != 0)
            {
                return false;
            }

            Since = now;
            Volatile.Write(ref _starved, 1);
            return true;
        }
    }

    /// <summary>A connect succeeded; true when that ends an episode. Costs one read when there is none.</summary>
    internal bool Recover() => Volatile.Read(ref _starved) != 0 && Interlocked.Exchange(ref _starved, 0) != 0;
}

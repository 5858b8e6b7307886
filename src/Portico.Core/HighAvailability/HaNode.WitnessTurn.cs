namespace Portico.HighAvailability;

/// <summary>
/// The witness's turn: the witness claims or releases the lease once a hello, and at once when this node's wish
/// for the lease changes (a hand-over heard, or a step-down whose addresses are released), so a forced failover
/// with a witness costs a few etcd calls rather than up to a hello of waiting on each node.
/// </summary>
public sealed partial class HaNode
{
    private readonly SemaphoreSlim _witnessTurn = new(0, 1);
    private bool _wantedLease;

    /// <summary>Set when this node starts taking the addresses, cleared once a step-down has released them.</summary>
    private bool _serving;

    /// <summary>
    /// Whether the witness should claim or keep the lease: the rules make this node primary, or it still holds
    /// addresses (a step-down under way), so the peer cannot claim the lease and the VIPs before they are released.
    /// </summary>
    private bool WantsLease => _machine is not null && (_machine.WantsPrimary || _serving);

    /// <summary>Under the lock, after the machine moved or a step-down ended: wakes the witness when <see cref="WantsLease"/> changed.</summary>
    private void NoteWants()
    {
        if (WantsLease == _wantedLease)
        {
            return;
        }

        _wantedLease = WantsLease;
        if (_witnessTurn.CurrentCount == 0)
        {
            _witnessTurn.Release();
        }
    }

    /// <summary>Waits a hello, or less when this node's wish for the role changed.</summary>
    internal async Task WaitForWitnessTurnAsync(TimeSpan hello, CancellationToken cancellationToken)
    {
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var delay = Task.Delay(hello, _time, timer.Token);
        await Task.WhenAny(delay, _witnessTurn.WaitAsync(timer.Token)).ConfigureAwait(false);
        await timer.CancelAsync().ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
    }
}

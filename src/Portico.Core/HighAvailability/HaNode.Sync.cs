using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Portico.HighAvailability;

/// <summary>
/// Config sync: the secondary pulls the primary's config when a heartbeat announces a digest it has not
/// applied (a new pair, a change propagated, <c>force HA sync</c>), warns, and replaces its own config with
/// it, keeping its node-local lines.
/// </summary>
public sealed partial class HaNode
{
    private static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(1);
    private ulong _syncedFromPeer;
    private uint _seenEpoch;
    private bool _syncing;
    private DateTimeOffset _nextAttempt;
    private string _syncState = "-";
    private DateTimeOffset? _lastSync;

    /// <summary><c>force HA sync</c>: the primary re-announces its config, a secondary pulls it now.</summary>
    public string ForceSync()
    {
        lock (_lock)
        {
            if (_machine is null)
            {
                throw new InvalidOperationException("no HA pair: add HA node <id> <address> (and add ns ip <address> <netmask> -type NSIP) first");
            }

            if (_machine.Role == HaRole.Primary)
            {
                _epoch++;
                _announced = _digest;
                _wake.Release();
                return $"the config is announced to the peer {_machine.Peer!.Address}; it syncs on the next heartbeat";
            }

            _syncedFromPeer = 0;
            _nextAttempt = DateTimeOffset.MinValue;
            return $"this node syncs from the primary {_machine.Peer!.Address} on its next heartbeat";
        }
    }

    /// <summary>Starts a pull when <paramref name="beat"/> says the primary has a config this node has not taken (under the lock).</summary>
    private void MaybeSync(Heartbeat beat)
    {
        var m = _machine!;
        if (m.Role != HaRole.Secondary || beat.Role != HaRole.Primary || !_ha.Local.Sync || _syncing || _time.GetUtcNow() < _nextAttempt
            || (beat.ConfigDigest == _syncedFromPeer && beat.SyncEpoch == _seenEpoch))
        {
            return;
        }

        _syncing = true;
        _ = SyncAsync(_self!, m.Peer!.Address, beat.SyncEpoch);
    }

    private async Task SyncAsync(IPAddress self, IPAddress peer, uint epoch)
    {
        string state;
        try
        {
            // The certificate files first, so the config that names them finds them.
            var files = SslFiles.Unpack(await SyncChannel.AskAsync(self, peer, SyncChannel.SslFilesRequest, CancellationToken.None).ConfigureAwait(false));
            foreach (var refused in SslFiles.Write(files, _store.ConfigPath))
            {
                _events.Record(HaEvents.Sync, "HA node", $"ssl file not written: {refused}");
            }

            var text = Encoding.UTF8.GetString(await SyncChannel.AskAsync(self, peer, SyncChannel.ConfigRequest, CancellationToken.None).ConfigureAwait(false));
            var local = SyncedConfig.LocalOf(_store.Current);
            var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;

            // Warn first: an operator watching the events sees what is about to go, and why.
            var warning = $"replacing this node's config with the primary {peer}'s ({lines} line(s)); this node's own lines (HA node, NSIP) are kept";
            _events.Record(HaEvents.Sync, "HA node", warning);
            Log.Sync(_logger, warning);
            var result = await _store.ReplaceAsync(text + local, $"HA sync from {peer}", _services).ConfigureAwait(false);
            if (result.Applied)
            {
                lock (_lock)
                {
                    _syncedFromPeer = SyncedConfig.Digest(text);
                    _seenEpoch = epoch;
                }

                state = "SUCCESS";
                _events.Record(HaEvents.Sync, "HA node", $"config synced from the primary {peer}");
            }
            else
            {
                state = $"FAILED: the primary's config was refused here: {(result.Errors.Count > 0 ? result.Errors[0].ToString() : "unknown error")}";
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            state = $"FAILED: {e.Message}";
        }

        lock (_lock)
        {
            _syncing = false;
            _syncState = state;
            _lastSync = _time.GetUtcNow();
            if (state != "SUCCESS")
            {
                _nextAttempt = _time.GetUtcNow() + RetryAfter;
                _events.Record(HaEvents.Sync, "HA node", state);
                Log.Sync(_logger, state);
            }
        }
    }

    private async Task ServeSyncAsync(Socket listener, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listener.AcceptAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    return;
                }

                continue;
            }

            IPAddress? peer;
            lock (_lock)
            {
                peer = _machine?.Peer?.Address;
            }

            _ = Task.Run(async () =>
            {
                try
                {
                    await SyncChannel.ServeAsync(client, peer, Answer, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or EndOfStreamException)
                {
                    // A peer gone mid-exchange retries on its next heartbeat.
                }
            }, CancellationToken.None);
        }
    }

    private byte[] Answer(string request)
    {
        lock (_lock)
        {
            if (_machine?.Role != HaRole.Primary)
            {
                throw new InvalidOperationException("this node is not the primary");
            }

            return request == SyncChannel.ConfigRequest ? Encoding.UTF8.GetBytes(_synced)
                : request == SyncChannel.SslFilesRequest ? SslFiles.Pack(_store.Current)
                : throw new InvalidOperationException($"unknown request '{request}'");
        }
    }
}

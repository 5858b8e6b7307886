using Etcdserverpb;
using Grpc.Core;
using Mvccpb;

namespace Portico.Cluster;

/// <summary>The watch: every config revision and every TTL block, as etcd orders them.</summary>
public sealed partial class ClusterNode
{
    /// <summary>Follows the config key and the blocks from <paramref name="after"/> until the stream breaks.</summary>
    private async Task WatchAsync(long after, CancellationToken cancellationToken)
    {
        using var call = _etcd.Watcher.Watch(cancellationToken: cancellationToken);
        await call.RequestStream.WriteAsync(new WatchRequest
        {
            CreateRequest = new WatchCreateRequest { Key = EtcdConnection.Key(_options.ConfigKey), StartRevision = after + 1, WatchId = 1 },
        }, cancellationToken).ConfigureAwait(false);
        await call.RequestStream.WriteAsync(new WatchRequest
        {
            CreateRequest = new WatchCreateRequest { Key = EtcdConnection.Key(_options.BlocksPrefix), RangeEnd = EtcdConnection.RangeEnd(_options.BlocksPrefix), StartRevision = after + 1, WatchId = 2 },
        }, cancellationToken).ConfigureAwait(false);

        while (await call.ResponseStream.MoveNext(cancellationToken).ConfigureAwait(false))
        {
            var response = call.ResponseStream.Current;
            if (response.CompactRevision != 0)
            {
                throw new CompactedException(response.CompactRevision);
            }

            if (response.Canceled)
            {
                throw new IOException($"etcd cancelled the watch: {response.CancelReason}");
            }

            foreach (var e in response.Events)
            {
                var key = e.Kv.Key.ToStringUtf8();
                if (key == _options.ConfigKey && e.Type == Event.Types.EventType.Put)
                {
                    await TakeAsync(e.Kv.Value.ToStringUtf8(), e.Kv.ModRevision, "watch").ConfigureAwait(false);
                }
                else if (key.StartsWith(_options.BlocksPrefix, StringComparison.Ordinal))
                {
                    await TakeBlockAsync(key[_options.BlocksPrefix.Length..], e.Type == Event.Types.EventType.Put ? e.Kv.Value.ToStringUtf8() : null).ConfigureAwait(false);
                }
            }
        }

        throw new IOException("the watch stream ended");
    }

    /// <summary>Applies every TTL block the cluster holds that this node lacks (joining, reconnecting).</summary>
    private async Task TakeBlocksAsync(CancellationToken cancellationToken)
    {
        var blocks = await _etcd.CallAsync(e => e.Kv.RangeAsync(new RangeRequest { Key = EtcdConnection.Key(_options.BlocksPrefix), RangeEnd = EtcdConnection.RangeEnd(_options.BlocksPrefix) },
            deadline: EtcdConnection.Deadline(), cancellationToken: cancellationToken).ResponseAsync).ConfigureAwait(false);
        foreach (var kv in blocks.Kvs)
        {
            await TakeBlockAsync(kv.Key.ToStringUtf8()[_options.BlocksPrefix.Length..], kv.Value.ToStringUtf8()).ConfigureAwait(false);
        }
    }

    /// <summary>A block put (<paramref name="line"/>) or expired/removed (null) in the cluster, brought to this node.</summary>
    private async Task TakeBlockAsync(string name, string? line)
    {
        var now = _time.GetUtcNow().UtcTicks;
        var present = ClusterBlocks.RemoveLine(_store.Current, name, now);
        var apply = line is null ? present : present is null ? line : null;
        if (apply is null)
        {
            return;
        }

        var result = await _store.ApplyApprovedAsync(replace: false, apply, "cluster block", _services).ConfigureAwait(false);
        _events.Record(ClusterEvents.Block, "cluster", result.Applied
            ? line is null ? $"block {name} expired or removed in the cluster: removed here" : $"block {name} from the cluster applied here: {line}"
            : $"block {name} not applied here: {(result.Errors.Count > 0 ? result.Errors[0].ToString() : "unknown error")}");
    }
}

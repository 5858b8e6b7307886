using System.Globalization;
using System.Text.Json;
using Etcdserverpb;
using Grpc.Core;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Portico.Configuration;
using Portico.Events;
using Portico.Runtime;

namespace Portico.Cluster;

/// <summary>
/// This node as a member of a cluster of active nodes sharing their config through etcd. The whole config is one
/// key (its canonical text); a batch applied here is validated as always, then written with a compare-and-swap on
/// the mod revision this node last applied (<see cref="Approve"/>): a node that wrote first makes it a conflict,
/// and nothing is applied. Every node applies each revision from its watch. On (re)connecting a node re-reads the
/// key, which is the catch-up from any revision and after any compaction alike. A node cut off from etcd keeps
/// serving its last config and says so (<c>show cluster</c>); batches are refused until it is back.
/// </summary>
public sealed partial class ClusterNode : BackgroundService, IConfigCommitPolicy
{
    private const int MemberTtlSeconds = 5;
    private readonly ClusterOptions _options;
    private readonly ConfigStore _store;
    private readonly IServiceProvider _services;
    private readonly EventLog _events;
    private readonly TimeProvider _time;
    private readonly ILogger<ClusterNode> _logger;
    private readonly EtcdConnection _etcd;
    private readonly Lock _lock = new();
    private long _applied;
    private long _seen;
    private bool _joined;
    private string _health = "joining";
    private DateTimeOffset _healthSince;
    private long _memberLease;

    public ClusterNode(ClusterOptions options, ConfigStore store, IServiceProvider services, EventLog events, TimeProvider time, ILogger<ClusterNode> logger)
    {
        _options = options;
        _store = store;
        _services = services;
        _events = events;
        _time = time;
        _logger = logger;
        _etcd = new EtcdConnection(options);
        _healthSince = time.GetUtcNow();
        store.CommitPolicy = this;
    }

    public ClusterOptions Options => _options;

    /// <summary>The config key's mod revision this node runs.</summary>
    public long Applied => Interlocked.Read(ref _applied);

    /// <summary>This node's own view, for <c>show cluster</c>.</summary>
    public (string Health, DateTimeOffset Since, long Applied, long Seen, Uri Member) Self()
    {
        lock (_lock)
        {
            return (_health, _healthSince, _applied, _seen, _etcd.Current);
        }
    }

    public string? Approve(RunningConfig previous, RunningConfig next)
    {
        if (!Volatile.Read(ref _joined))
        {
            // The startup config, before the node joined: joining replaces it with the cluster's (or seeds the cluster with it).
            return null;
        }

        var text = ClusterText(next);
        var (added, removed) = ClusterBlocks.Changes(previous, next);
        try
        {
            if (text != ClusterText(previous))
            {
                var expected = Applied;
                var txn = new TxnRequest();
                txn.Compare.Add(new Compare { Key = EtcdConnection.Key(_options.ConfigKey), Target = Compare.Types.CompareTarget.Mod, Result = Compare.Types.CompareResult.Equal, ModRevision = expected });
                txn.Success.Add(new RequestOp { RequestPut = new PutRequest { Key = EtcdConnection.Key(_options.ConfigKey), Value = EtcdConnection.Key(text) } });
                txn.Failure.Add(new RequestOp { RequestRange = new RangeRequest { Key = EtcdConnection.Key(_options.ConfigKey) } });
                var response = _etcd.CallAsync(e => e.Kv.TxnAsync(txn, deadline: EtcdConnection.Deadline()).ResponseAsync).GetAwaiter().GetResult();
                if (!response.Succeeded)
                {
                    var current = response.Responses.FirstOrDefault()?.ResponseRange?.Kvs.FirstOrDefault()?.ModRevision ?? 0;
                    return $"cluster conflict: another node wrote the config first (cluster revision {current}, this node had {expected}); "
                        + $"nothing applied. This node takes revision {current} from its watch: check it, then run the batch again";
                }

                SetApplied(response.Header.Revision);
            }

            foreach (var rule in added)
            {
                var lease = _etcd.CallAsync(e => e.Leases.LeaseGrantAsync(new LeaseGrantRequest { TTL = rule.TtlSeconds!.Value }, deadline: EtcdConnection.Deadline()).ResponseAsync).GetAwaiter().GetResult();
                _etcd.CallAsync(e => e.Kv.PutAsync(new PutRequest { Key = EtcdConnection.Key(_options.BlocksPrefix + rule.Name), Value = EtcdConnection.Key(ClusterBlocks.Line(rule)), Lease = lease.ID }, deadline: EtcdConnection.Deadline()).ResponseAsync).GetAwaiter().GetResult();
            }

            foreach (var name in removed)
            {
                _etcd.CallAsync(e => e.Kv.DeleteRangeAsync(new DeleteRangeRequest { Key = EtcdConnection.Key(_options.BlocksPrefix + name) }, deadline: EtcdConnection.Deadline()).ResponseAsync).GetAwaiter().GetResult();
            }

            return null;
        }
        catch (Exception e) when (e is EtcdUnavailableException or RpcException)
        {
            return $"the cluster store {_options} cannot be reached ({e.Message}); nothing applied. This node keeps serving its last config (revision {Applied})";
        }
    }

    /// <summary>What the cluster shares of a config: its canonical text without the header comment.</summary>
    public static string ClusterText(RunningConfig config) =>
        string.Join('\n', ConfigWriter.Write(config, DateTimeOffset.UnixEpoch).Split('\n').Where(l => !l.StartsWith('#'))).Trim() + "\n";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var backoff = TimeSpan.FromMilliseconds(200);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var from = await JoinAsync(stoppingToken).ConfigureAwait(false);
                Healthy();
                backoff = TimeSpan.FromMilliseconds(200);
                using var member = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                var keepAlive = KeepMemberAsync(member.Token);
                try
                {
                    await WatchAsync(from, stoppingToken).ConfigureAwait(false);
                }
                finally
                {
                    await member.CancelAsync().ConfigureAwait(false);
                    await keepAlive.ConfigureAwait(false);
                }
            }
            catch (Exception e) when (e is EtcdUnavailableException or RpcException or IOException or CompactedException && !stoppingToken.IsCancellationRequested)
            {
                Unhealthy(e is CompactedException ? "the watch fell behind a compaction: re-reading" : e.Message);
                _etcd.Next();
                await Task.Delay(backoff, _time, stoppingToken).ConfigureAwait(false);
                backoff = TimeSpan.FromMilliseconds(Math.Min(2000, backoff.TotalMilliseconds * 2));
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    /// <summary>
    /// Brings this node to the cluster's config (or seeds an empty cluster with this node's), and the TTL blocks;
    /// returns the store revision to watch from.
    /// </summary>
    private async Task<long> JoinAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var got = await _etcd.CallAsync(e => e.Kv.RangeAsync(new RangeRequest { Key = EtcdConnection.Key(_options.ConfigKey) }, deadline: EtcdConnection.Deadline(), cancellationToken: cancellationToken).ResponseAsync).ConfigureAwait(false);
            if (got.Kvs.Count == 1)
            {
                await TakeAsync(got.Kvs[0].Value.ToStringUtf8(), got.Kvs[0].ModRevision, "joined").ConfigureAwait(false);
                await TakeBlocksAsync(cancellationToken).ConfigureAwait(false);
                return got.Header.Revision;
            }

            var txn = new TxnRequest();
            txn.Compare.Add(new Compare { Key = EtcdConnection.Key(_options.ConfigKey), Target = Compare.Types.CompareTarget.Create, Result = Compare.Types.CompareResult.Equal, CreateRevision = 0 });
            txn.Success.Add(new RequestOp { RequestPut = new PutRequest { Key = EtcdConnection.Key(_options.ConfigKey), Value = EtcdConnection.Key(ClusterText(_store.Current)) } });
            var seeded = await _etcd.CallAsync(e => e.Kv.TxnAsync(txn, deadline: EtcdConnection.Deadline(), cancellationToken: cancellationToken).ResponseAsync).ConfigureAwait(false);
            if (seeded.Succeeded)
            {
                SetApplied(seeded.Header.Revision);
                Volatile.Write(ref _joined, true);
                _events.Record(ClusterEvents.Revision, "cluster", $"this node seeded the cluster {_options} with its config (revision {seeded.Header.Revision})");
                return seeded.Header.Revision;
            }

            // Another node seeded it meanwhile: read theirs.
        }
    }

    /// <summary>Applies the cluster's config text at <paramref name="revision"/> unless this node already runs it.</summary>
    private async Task TakeAsync(string text, long revision, string how)
    {
        if (revision <= Applied)
        {
            Volatile.Write(ref _joined, true);
            return;
        }

        var result = await _store.ApplyApprovedAsync(replace: true, text, $"cluster revision {revision}", _services).ConfigureAwait(false);
        if (result.Applied)
        {
            SetApplied(revision);
            _events.Record(ClusterEvents.Revision, "cluster", $"{how}: applied cluster revision {revision}");
        }
        else
        {
            // A revision every writer validated but this node refuses (a certificate file missing here): say so and keep the last.
            var why = result.Errors.Count > 0 ? result.Errors[0].ToString() : "unknown error";
            _events.Record(ClusterEvents.Refused, "cluster", $"cluster revision {revision} refused here, still serving revision {Applied}: {why}");
            Log.Refused(_logger, revision, why);
            lock (_lock)
            {
                _seen = Math.Max(_seen, revision);
            }
        }

        Volatile.Write(ref _joined, true);
    }

    private void SetApplied(long revision)
    {
        lock (_lock)
        {
            _applied = Math.Max(_applied, revision);
            _seen = Math.Max(_seen, revision);
        }

        _ = PublishMemberAsync();
    }

    private void Healthy()
    {
        lock (_lock)
        {
            if (_health != "OK")
            {
                _health = "OK";
                _healthSince = _time.GetUtcNow();
                _events.Record(ClusterEvents.Health, "cluster", $"etcd reachable ({_etcd.Current.Authority}); serving cluster revision {_applied}");
            }
        }
    }

    private void Unhealthy(string why)
    {
        lock (_lock)
        {
            var health = $"etcd unreachable: {why}; serving the last config (revision {_applied})";
            if (!_health.StartsWith("etcd unreachable", StringComparison.Ordinal))
            {
                _healthSince = _time.GetUtcNow();
                _events.Record(ClusterEvents.Health, "cluster", health);
                Log.Unreachable(_logger, why);
            }

            _health = health;
        }
    }

    /// <summary>What a member publishes about itself under its lease.</summary>
    internal sealed record MemberRecord(string Name, long Applied, string Health, DateTimeOffset Since, ClusterCounters? Counters = null, DateTimeOffset? CountedAt = null);

    private async Task PublishMemberAsync()
    {
        var lease = Interlocked.Read(ref _memberLease);
        if (lease == 0)
        {
            return;
        }

        var (health, since, applied, _, _) = Self();
        var counters = _services.GetService(typeof(IRuntimeSource)) is IRuntimeSource runtime ? ClusterCounters.Of(runtime.Current) : ClusterCounters.Zero;
        var value = JsonSerializer.Serialize(new MemberRecord(_options.NodeName, applied, health, since, counters, _time.GetUtcNow()));
        try
        {
            await _etcd.CallAsync(e => e.Kv.PutAsync(new PutRequest { Key = EtcdConnection.Key(_options.NodesPrefix + _options.NodeName), Value = EtcdConnection.Key(value), Lease = lease }, deadline: EtcdConnection.Deadline()).ResponseAsync).ConfigureAwait(false);
        }
        catch (Exception e) when (e is EtcdUnavailableException or RpcException)
        {
            // The watch loop notices the store is gone and says so.
        }
    }

    /// <summary>Membership: a lease of a few seconds kept alive while this node reaches etcd; its key goes when the node does.</summary>
    private async Task KeepMemberAsync(CancellationToken cancellationToken)
    {
        try
        {
            var lease = await _etcd.CallAsync(e => e.Leases.LeaseGrantAsync(new LeaseGrantRequest { TTL = MemberTtlSeconds }, deadline: EtcdConnection.Deadline(), cancellationToken: cancellationToken).ResponseAsync).ConfigureAwait(false);
            Interlocked.Exchange(ref _memberLease, lease.ID);
            await PublishMemberAsync().ConfigureAwait(false);
            using var call = _etcd.Leases.LeaseKeepAlive(cancellationToken: cancellationToken);
            while (!cancellationToken.IsCancellationRequested)
            {
                await call.RequestStream.WriteAsync(new LeaseKeepAliveRequest { ID = lease.ID }, cancellationToken).ConfigureAwait(false);
                if (!await call.ResponseStream.MoveNext(cancellationToken).ConfigureAwait(false) || call.ResponseStream.Current.TTL <= 0)
                {
                    return;
                }

                // Each keep-alive also refreshes the counters stat cluster sums (a put every ~1.7 s per node).
                await PublishMemberAsync().ConfigureAwait(false);

                await Task.Delay(TimeSpan.FromSeconds(MemberTtlSeconds / 3.0), _time, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or RpcException or EtcdUnavailableException or IOException)
        {
            // Cancelled with the watch, or the store went away: the watch loop reconnects and keeps the member again.
        }
        finally
        {
            Interlocked.Exchange(ref _memberLease, 0);
        }
    }

    public override void Dispose()
    {
        base.Dispose();
        _etcd.Dispose();
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1200, Level = LogLevel.Warning, Message = "Cluster: etcd unreachable ({Why}); serving the last config")]
        public static partial void Unreachable(ILogger logger, string why);

        [LoggerMessage(EventId = 1201, Level = LogLevel.Error, Message = "Cluster: revision {Revision} refused here: {Why}")]
        public static partial void Refused(ILogger logger, long revision, string why);
    }

    internal static string Format(DateTimeOffset at) => at.ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture) + " UTC";
}

/// <summary>The watch started from a revision etcd has compacted away.</summary>
public sealed class CompactedException(long revision) : Exception($"revision {revision} is compacted");

using System.Globalization;
using Etcdserverpb;
using Grpc.Core;
using Microsoft.Extensions.Hosting;
using Portico.Cluster;
using Portico.Events;

namespace Portico.HighAvailability;

/// <summary>
/// The etcd witness of the HA pair (<c>portico run --ha-witness etcd://HOST:PORT[,...]/PREFIX</c>): the primary
/// role is the key <c>PREFIX/ha/primary</c>, held under an etcd lease of the dead interval. A node the rules make
/// primary claims the key (created only if absent) and keeps its lease alive every hello; a node that does not
/// hold it is not primary (<see cref="HaStateMachine.SetWitness"/>), so with the heartbeat link cut the two nodes
/// cannot both serve. A primary that cannot renew for the dead interval less a second steps down before etcd can
/// expire its lease and give the role to the peer. A node that hands over, or stops wanting the role, deletes the key.
/// </summary>
public sealed class HaWitness(HaWitnessOptions options, HaNode node, TimeProvider time, EventLog events) : BackgroundService
{
    private static readonly TimeSpan CallBound = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// How soon a node the peer is handing the role to tries again when its claim found the key still held: the
    /// peer releases it as soon as its addresses are gone, and waiting a whole hello would be time without service.
    /// </summary>
    private static readonly TimeSpan HandOverRetry = TimeSpan.FromMilliseconds(50);
    private readonly EtcdConnection _etcd = new(options.Store);
    private long _lease;
    private DateTimeOffset? _renewed;
    private bool _holding;

    private string Key => options.Store.Prefix + "ha/primary";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var next = TimeSpan.FromMilliseconds(HaSettings.DefaultHello);
            if (node.WitnessView() is { } view)
            {
                next = view.Settings.Hello;
                string? denies;
                try
                {
                    denies = await TickAsync(view.Wants, view.Self.ToString(), view.Settings, stoppingToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is RpcException or EtcdUnavailableException or IOException && !stoppingToken.IsCancellationRequested)
                {
                    _etcd.Next();
                    denies = Unreachable(view.Settings, e.Message);
                }

                await node.WitnessAsync(denies, _holding ? "held by this node" : denies ?? "").ConfigureAwait(false);
                if (view.HandedOver && !_holding)
                {
                    next = HandOverRetry;
                }
            }

            await node.WaitForWitnessTurnAsync(next, stoppingToken).ConfigureAwait(false);
        }
    }

    /// <summary>One hello: claim or keep the key when this node wants the role, give it up otherwise; null = held.</summary>
    private async Task<string?> TickAsync(bool wants, string self, HaSettings settings, CancellationToken cancellationToken)
    {
        if (!wants)
        {
            if (_holding)
            {
                // Handed over (or made secondary): let the peer claim at once rather than after the lease.
                var release = new TxnRequest();
                release.Compare.Add(new Compare { Key = EtcdConnection.Key(Key), Target = Compare.Types.CompareTarget.Lease, Result = Compare.Types.CompareResult.Equal, Lease = _lease });
                release.Success.Add(new RequestOp { RequestDeleteRange = new DeleteRangeRequest { Key = EtcdConnection.Key(Key) } });
                await _etcd.Kv.TxnAsync(release, deadline: Deadline(), cancellationToken: cancellationToken).ResponseAsync.ConfigureAwait(false);
                _holding = false;
                events.Record(HaEvents.StateChange, "HA node", $"released the witness lease ({options.Store})");
            }

            return "this node does not claim the role";
        }

        if (_lease == 0 || !await RenewAsync(cancellationToken).ConfigureAwait(false))
        {
            var granted = await _etcd.Leases.LeaseGrantAsync(new LeaseGrantRequest { TTL = settings.DeadSeconds }, deadline: Deadline(), cancellationToken: cancellationToken).ResponseAsync.ConfigureAwait(false);
            _lease = granted.ID;
            _renewed = time.GetUtcNow();
        }

        var claim = new TxnRequest();
        claim.Compare.Add(new Compare { Key = EtcdConnection.Key(Key), Target = Compare.Types.CompareTarget.Create, Result = Compare.Types.CompareResult.Equal, CreateRevision = 0 });
        claim.Success.Add(new RequestOp { RequestPut = new PutRequest { Key = EtcdConnection.Key(Key), Value = EtcdConnection.Key(self), Lease = _lease } });
        claim.Failure.Add(new RequestOp { RequestRange = new RangeRequest { Key = EtcdConnection.Key(Key) } });
        var got = await _etcd.Kv.TxnAsync(claim, deadline: Deadline(), cancellationToken: cancellationToken).ResponseAsync.ConfigureAwait(false);
        var holder = got.Succeeded ? null : got.Responses.FirstOrDefault()?.ResponseRange?.Kvs.FirstOrDefault();
        var held = got.Succeeded || holder?.Lease == _lease;
        if (held && !_holding)
        {
            events.Record(HaEvents.StateChange, "HA node", $"holds the witness lease ({options.Store}, {settings.DeadSeconds} s)");
        }

        _holding = held;
        return held ? null : $"the witness lease is held by {holder?.Value.ToStringUtf8() ?? "another node"}";
    }

    /// <summary>One keep-alive of this node's lease; false when etcd says it has expired.</summary>
    private async Task<bool> RenewAsync(CancellationToken cancellationToken)
    {
        using var call = _etcd.Leases.LeaseKeepAlive(deadline: Deadline(), cancellationToken: cancellationToken);
        await call.RequestStream.WriteAsync(new LeaseKeepAliveRequest { ID = _lease }, cancellationToken).ConfigureAwait(false);
        await call.RequestStream.CompleteAsync().ConfigureAwait(false);
        var alive = await call.ResponseStream.MoveNext(cancellationToken).ConfigureAwait(false) && call.ResponseStream.Current.TTL > 0;
        if (alive)
        {
            _renewed = time.GetUtcNow();
        }
        else
        {
            _lease = 0;
            _holding = false;
        }

        return alive;
    }

    /// <summary>etcd did not answer: a holder keeps the role until a second before its lease could expire.</summary>
    private string? Unreachable(HaSettings settings, string why)
    {
        if (_holding && _renewed is { } at && time.GetUtcNow() - at < settings.Dead - TimeSpan.FromSeconds(1))
        {
            return null;
        }

        _holding = false;
        return string.Create(CultureInfo.InvariantCulture, $"the witness {options.Store} cannot be reached ({why})");
    }

    private static DateTime Deadline() => DateTime.UtcNow + CallBound;

    public override void Dispose()
    {
        base.Dispose();
        _etcd.Dispose();
    }
}

/// <summary><c>--ha-witness</c>: the etcd members and the key prefix of the pair's witness.</summary>
public sealed record HaWitnessOptions(ClusterOptions Store);

using System.Net;
using System.Net.Sockets;
using Portico.LoadBalancing;
using Portico.Runtime;

namespace Portico.Listeners;

/// <summary>
/// Reconciles every kind of listener (<see cref="IVserverListeners"/>) on every config change: each
/// listening vserver goes to the one kind that claims it, and the kinds reconcile in turn, in the order
/// they are registered, against one <see cref="ListenerPlan"/>. It names no data path: the L4 full proxy,
/// UDP, HTTP and DSR are kinds like any other (registered L4 first, so an L4 TCP vserver added with an HTTP
/// one on the same endpoint gets it). A vserver that listens keeps its endpoint against one added later, and
/// listeners are never closed for a change that keeps them: they serve the new runtime.
/// </summary>
public sealed class ListenerManager(
    IEnumerable<IVserverListeners> kinds, ListenStateEvents listenEvents, IEnumerable<IVipOwnershipPolicy> ownership, IEnumerable<IListeningSource> sources) : IDisposable
{
    private readonly IListeningSource[] _sources = [.. sources];
    private readonly IVserverListeners[] _kinds = [.. kinds];
    private readonly IVipOwnershipPolicy[] _ownership = [.. ownership];
    private RuntimeModel? _last;
    private readonly Lock _lock = new();
    private Dictionary<string, IVserverListeners> _claimedBy = new(StringComparer.Ordinal);
    private IReadOnlyDictionary<string, string> _status = new Dictionary<string, string>();
    private IReadOnlyDictionary<(ProtocolType Transport, IPEndPoint EndPoint), string> _holders =
        new Dictionary<(ProtocolType Transport, IPEndPoint EndPoint), string>();

    /// <summary>Where each vserver listens, or why it does not: for <c>show lb vserver</c>.</summary>
    public string StatusOf(string vserver)
    {
        IVserverListeners? kind;
        string? noted;
        lock (_lock)
        {
            kind = _claimedBy.GetValueOrDefault(vserver);
            noted = _status.GetValueOrDefault(vserver);
        }

        return kind?.StatusOf(vserver) ?? noted ?? "not listening";
    }

    /// <summary>The bound endpoint of a vserver's listener (useful when the config asked for port 0).</summary>
    public IPEndPoint? EndPointOf(string vserver)
    {
        IVserverListeners? kind;
        lock (_lock)
        {
            kind = _claimedBy.GetValueOrDefault(vserver);
        }

        return kind?.EndPointOf(vserver);
    }

    /// <summary>Brings the listeners in line with <paramref name="model"/>; returns warnings for the operator.</summary>
    public IReadOnlyList<string> Reconcile(RuntimeModel model)
    {
        lock (_lock)
        {
            // The vservers that listen: lb vservers, then the other kinds (cs vservers).
            _last = model;
            IReadOnlyList<IListeningVserver> listening = [.. LbListeningVserver.Of(model), .. _sources.SelectMany(s => s.Of(model))];
            var claimedBy = new Dictionary<string, IVserverListeners>(StringComparer.Ordinal);
            var standby = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var v in listening)
            {
                // A vserver this node does not serve now (the HA secondary's) goes to no kind: its listeners stop.
                if (_ownership.Select(o => o.StandbyReason(v)).FirstOrDefault(r => r is not null) is { } why)
                {
                    standby[v.Name] = why;
                }
                else if (_kinds.FirstOrDefault(k => k.Claims(v)) is { } kind)
                {
                    claimedBy[v.Name] = kind;
                }
            }

            var plan = new ListenerPlan(StillHeld(listening, claimedBy));
            var claimed = _kinds.ToDictionary(k => k, _ => new List<IListeningVserver>());
            foreach (var v in listening)
            {
                if (claimedBy.TryGetValue(v.Name, out var kind))
                {
                    claimed[kind].Add(v);
                }
                else if (standby.TryGetValue(v.Name, out var why))
                {
                    plan.Note(v, why);
                }
                else
                {
                    plan.Note(v, $"{ServiceTypes.Words[v.Type]} vservers are not served by this version of Portico");
                }
            }

            foreach (var kind in _kinds)
            {
                kind.Reconcile(model, claimed[kind], plan);
            }

            _claimedBy = claimedBy;
            _status = plan.Statuses;
            _holders = plan.Holders;
            listenEvents.Note(listening);
            return plan.Warnings;
        }
    }

    /// <summary>
    /// Reconciles the last model again, for an <see cref="IVipOwnershipPolicy"/> whose answer changed (this
    /// node became the HA primary or secondary); returns the warnings. The lock is reentrant, so a model
    /// committed meanwhile is never overtaken by an older one.
    /// </summary>
    public IReadOnlyList<string> Refresh()
    {
        lock (_lock)
        {
            return _last is { } model ? Reconcile(model) : [];
        }
    }

    /// <summary>
    /// The endpoints of the last reconcile whose holder still asks for them: same vserver, same endpoint,
    /// enabled, and served by the same kind of listener (so on the same transport).
    /// </summary>
    private Dictionary<(ProtocolType Transport, IPEndPoint EndPoint), string> StillHeld(
        IReadOnlyList<IListeningVserver> listening, Dictionary<string, IVserverListeners> claimedBy)
    {
        var byName = listening.ToDictionary(v => v.Name, StringComparer.Ordinal);
        return _holders
            .Where(h => byName.TryGetValue(h.Value, out var v) && v.IsAddressable && v.Enabled && v.EndPoint.Equals(h.Key.EndPoint)
                && claimedBy.GetValueOrDefault(v.Name) is { } kind && kind == _claimedBy.GetValueOrDefault(v.Name))
            .ToDictionary(h => h.Key, h => h.Value);
    }

    /// <summary>Stops accepting on every listener at once (Portico is stopping).</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            _last = null;
            _claimedBy = new Dictionary<string, IVserverListeners>(StringComparer.Ordinal);
            _status = new Dictionary<string, string>();
            _holders = new Dictionary<(ProtocolType Transport, IPEndPoint EndPoint), string>();
        }

        foreach (var kind in _kinds)
        {
            kind.StopAccepting();
        }
    }
}

using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Portico.Dsr;

/// <summary>
/// Cutting established DSR flows for ACLs applied later (<c>apply ns acls</c>, <c>flush ns simpleacl
/// -estSessions</c>): the flow table belongs to the forwarder thread, so a cut is a request it runs at its next
/// tick; a cut flow is marked denied, and its further frames are dropped.
/// </summary>
internal sealed partial class DsrPort
{
    private readonly ConcurrentQueue<(Func<IPEndPoint, IPEndPoint, ProtocolType, bool> Covered, TaskCompletionSource<int> Done)> _cuts = new();

    /// <summary>Marks every live flow <paramref name="covered"/> matches as denied; returns how many (0 if the forwarder is gone).</summary>
    public int Cut(Func<IPEndPoint, IPEndPoint, ProtocolType, bool> covered)
    {
        if (_failure is not null || _stopping || !_thread.IsAlive)
        {
            return 0;
        }

        var done = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        _cuts.Enqueue((covered, done));
        return done.Task.Wait(TimeSpan.FromSeconds(2)) ? done.Task.Result : 0;
    }

    private int CutFlows(Func<IPEndPoint, IPEndPoint, ProtocolType, bool> covered, long now)
    {
        var cut = 0;
        foreach (ref var e in _flows.Entries)
        {
            if (e.Key2 == 0 || e.Backend < 0 || now - e.LastSeenMs > _flows.IdleTimeoutMs)
            {
                continue;
            }

            var client = new IPEndPoint(Frame.ToAddress((uint)(e.Key1 >> 32)), (ushort)(e.Key2 >> 16));
            var local = new IPEndPoint(Frame.ToAddress((uint)e.Key1), (ushort)e.Key2);
            if (covered(client, local, (ProtocolType)(byte)(e.Key2 >> 32)))
            {
                e.Backend = Denied;
                cut++;
            }
        }

        return cut;
    }
}

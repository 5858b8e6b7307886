using Portico.Policies.Expressions;

namespace Portico.ContentSwitching;

/// <summary>
/// The content switching of one cs vserver on a data path: its compiled table with every target resolved to what
/// that path serves (an HTTP engine's lb vserver, an L4 vserver's runtime), for this config generation, and the
/// switching counters kept as it chooses.
/// </summary>
/// <typeparam name="TTarget">What the data path sends a request or connection on to.</typeparam>
public class CsRouter<TTarget>(CsVserverRuntime cs, TTarget?[] targets, TTarget? fallback)
    where TTarget : class
{
    public CsVserverRuntime Runtime => cs;

    /// <summary>The target that serves <paramref name="request"/>; null when none can (the caller refuses it).</summary>
    public TTarget? Route(IPolicyRequest request)
    {
        var i = cs.Table.Choose(request, out var undefined);
        if (undefined)
        {
            Interlocked.Increment(ref cs.Counters.Undefined);
        }

        TTarget? target;
        if (i >= 0)
        {
            Interlocked.Increment(ref cs.Hits[i].Value);
            target = targets[i];
        }
        else
        {
            target = fallback;
            if (target is not null)
            {
                Interlocked.Increment(ref cs.Counters.DefaultHits);
            }
        }

        if (target is null)
        {
            Interlocked.Increment(ref cs.Counters.Unserved);
        }

        return target;
    }
}

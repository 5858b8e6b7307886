using Portico.ContentSwitching;
using Portico.Policies.Expressions;

namespace Portico.Http.Switching;

/// <summary>
/// The content switching of one cs vserver on the L7 path: its compiled table with every target resolved to the
/// lb vserver the engine serves, for this config generation.
/// </summary>
internal sealed class HttpSwitch(CsVserverRuntime cs, HttpVserver?[] targets, HttpVserver? fallback)
{
    public CsVserverRuntime Runtime => cs;

    /// <summary>The lb vserver that serves <paramref name="request"/>; null when none can (the caller answers 503).</summary>
    public HttpVserver? Route(IPolicyRequest request)
    {
        var i = cs.Table.Choose(request, out var undefined);
        if (undefined)
        {
            Interlocked.Increment(ref cs.Counters.Undefined);
        }

        HttpVserver? target;
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

using System.Net;
using System.Net.Sockets;
using Portico.Runtime;

namespace Portico.Listeners;

/// <summary>The admission check every data path runs: the policies in order, and the vserver's denied count.</summary>
public static class AdmissionPolicies
{
    /// <summary>True when a policy denies the client; counted on the vserver (<c>stat lb vserver</c>).</summary>
    public static bool Denies(this IAdmissionPolicy[] policies, IPEndPoint client, IPEndPoint local, VserverRuntime vserver, ProtocolType protocol)
    {
        foreach (var policy in policies)
        {
            if (policy.Deny(client, local, vserver, protocol) is not null)
            {
                Interlocked.Increment(ref vserver.Counters.Denied);
                return true;
            }
        }

        return false;
    }
}

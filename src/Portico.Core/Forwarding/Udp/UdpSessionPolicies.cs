using Portico.Listeners;
using Portico.Persistence;

namespace Portico.Forwarding.Udp;

/// <summary>
/// What every UDP vserver consults when a datagram would open a session: the admission policies (ACLs) and
/// persistence (SOURCEIP). One instance from DI, handed to each <see cref="UdpVserverListener"/> it starts.
/// </summary>
public sealed class UdpSessionPolicies(IEnumerable<IAdmissionPolicy> admission, PersistencePolicies persistence)
{
    public IAdmissionPolicy[] Admission { get; } = [.. admission];

    public PersistencePolicies Persistence { get; } = persistence;
}

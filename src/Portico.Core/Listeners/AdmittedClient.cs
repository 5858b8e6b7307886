using System.Net;

namespace Portico.Listeners;

/// <summary>The outcome of <see cref="ClientAdmission"/> for one connection.</summary>
public enum AdmissionVerdict
{
    /// <summary>Let through: serve it.</summary>
    Admitted,

    /// <summary>A policy denied it (counted): reset it.</summary>
    Denied,

    /// <summary>Its PROXY header was refused and the connection closed by the data path (counted): nothing left to do.</summary>
    Closed,
}

/// <summary>A client through admission: who it is (the PROXY header's source, else the peer) and where it connected.</summary>
/// <param name="Client">The client, for balancing, persistence, logs and the ACLs of established connections.</param>
/// <param name="Destination">The address the client reached: the listener's, or the original destination a PROXY header named.</param>
/// <param name="Header">The header read, to be disposed by the data path; null when the vserver takes none.</param>
public readonly record struct AdmittedClient<THeader>(AdmissionVerdict Verdict, IPEndPoint Client, IPEndPoint Destination, THeader? Header)
    where THeader : class
{
    private static readonly IPEndPoint None = new(IPAddress.None, 0);

    public static AdmittedClient<THeader> Denied => new(AdmissionVerdict.Denied, None, None, null);

    public static AdmittedClient<THeader> Closed => new(AdmissionVerdict.Closed, None, None, null);
}

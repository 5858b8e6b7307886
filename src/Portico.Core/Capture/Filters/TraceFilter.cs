using System.Net;

namespace Portico.Capture.Filters;

/// <summary>
/// A capture's filter with Portico's names expanded into BPF, and what the names cover: the decrypted tap
/// picks connections by <see cref="Vservers"/> and <see cref="Services"/>, the wire capture picks interfaces
/// by <see cref="Addresses"/>.
/// </summary>
/// <param name="Text">The filter as the operator wrote it; null = every packet.</param>
/// <param name="Bpf">The expression handed to libpcap; null = every packet.</param>
/// <param name="Vservers">Vservers named (<c>vserver web</c>).</param>
/// <param name="Services">Members named (<c>service s1</c>, or every member of <c>service grp</c> for a group).</param>
/// <param name="LinkedMembers">Members bound to the named vservers (their server side, with <c>-link ENABLED</c>).</param>
/// <param name="Addresses">Addresses the names expanded to (VIPs, members, SNIPs).</param>
/// <param name="NamesOnly">The filter is names joined by <c>or</c>: connections can be chosen without running BPF.</param>
/// <param name="AnyAddress">A named vserver listens on every address (<c>*</c>), or the filter names nothing.</param>
internal sealed record TraceFilter(
    string? Text,
    string? Bpf,
    IReadOnlyList<string> Vservers,
    IReadOnlyList<string> Services,
    IReadOnlyList<string> LinkedMembers,
    IReadOnlyList<IPAddress> Addresses,
    bool NamesOnly,
    bool AnyAddress)
{
    /// <summary>No filter: every packet.</summary>
    public static readonly TraceFilter Everything = new(null, null, [], [], [], [], NamesOnly: false, AnyAddress: true);

    /// <summary>True when the filter names vservers or services.</summary>
    public bool HasNames => Vservers.Count > 0 || Services.Count > 0;
}

using System.Net;
using Portico.CommandLanguage;

namespace Portico.Appliance;

/// <summary>The kinds of address NetScaler owns (<c>add ns ip -type</c>).</summary>
public enum NsIpType
{
    Snip,
    Vip,
    Mip,
    Nsip,
}

/// <summary>An address Portico owns: a SNIP is a source for server connections in its subnet.</summary>
public sealed record NsIp(IPAddress Address, IPAddress Netmask, NsIpType Type, IReadOnlyList<KeptOption> Kept)
{
    public static readonly KeywordMap<NsIpType> Types = new(
        ("SNIP", NsIpType.Snip), ("VIP", NsIpType.Vip), ("MIP", NsIpType.Mip), ("NSIP", NsIpType.Nsip));

    /// <summary>True when <paramref name="ip"/> lies in this address's subnet.</summary>
    public bool Covers(IPAddress ip)
    {
        if (ip.AddressFamily != Address.AddressFamily)
        {
            return false;
        }

        Span<byte> a = stackalloc byte[16];
        Span<byte> b = stackalloc byte[16];
        Span<byte> m = stackalloc byte[16];
        Address.TryWriteBytes(a, out var n);
        ip.TryWriteBytes(b, out _);
        Netmask.TryWriteBytes(m, out _);
        for (var i = 0; i < n; i++)
        {
            if ((a[i] & m[i]) != (b[i] & m[i]))
            {
                return false;
            }
        }

        return true;
    }
}

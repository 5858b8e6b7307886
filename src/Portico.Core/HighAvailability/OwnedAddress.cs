using System.Net;
using Portico.Appliance;
using Portico.Configuration;
using Portico.LoadBalancing;

namespace Portico.HighAvailability;

/// <summary>An address the primary owns: added to its uplink on takeover, announced, released on step-down.</summary>
/// <param name="PrefixLength">The prefix <c>ip addr add</c> gives it: the <c>ns ip</c> netmask, /32 for a vserver's VIP.</param>
public sealed record OwnedAddress(IPAddress Address, int PrefixLength)
{
    /// <summary>
    /// The addresses of <paramref name="config"/> that move with the primary role: every VIP, SNIP and MIP
    /// (<c>add ns ip</c>) and every lb vserver's address, except this node's and the peer's own (NSIP),
    /// loopback addresses (always local) and DSR VIPs (answered by the DSR ARP responder, never on an interface).
    /// </summary>
    public static IReadOnlyList<OwnedAddress> Of(RunningConfig config, IPAddress? self, IPAddress? peer)
    {
        var owned = new Dictionary<IPAddress, OwnedAddress>();
        foreach (var ip in config.Ips.Where(i => i.Type != NsIpType.Nsip))
        {
            owned.TryAdd(ip.Address, new OwnedAddress(ip.Address, Prefix(ip.Netmask)));
        }

        foreach (var v in config.Vservers.Where(v => v.Address is not null && v.Mode == RedirectionMode.Ip))
        {
            owned.TryAdd(v.Address!, new OwnedAddress(v.Address!, v.Address!.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128));
        }

        return [.. owned.Values.Where(a => !IPAddress.IsLoopback(a.Address) && !a.Address.Equals(IPAddress.Any) && !a.Address.Equals(IPAddress.IPv6Any)
            && !a.Address.Equals(self) && !a.Address.Equals(peer))];
    }

    private static int Prefix(IPAddress mask) => mask.GetAddressBytes().Sum(b => System.Numerics.BitOperations.PopCount(b));

    public override string ToString() => $"{Address}/{PrefixLength}";
}

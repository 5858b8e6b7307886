using System.Net;
using System.Net.NetworkInformation;

namespace Portico.HighAvailability;

/// <summary>
/// The interface that carries this node's own address (its NSIP): the monitored uplink, and where the
/// primary puts the VIPs and SNIPs (with rtnetlink, as <c>ip addr add</c> does, then gratuitous ARP sent from this process, as
/// <c>arping -U</c> would, so the segment's neighbours move to this node's MAC at once instead of when their
/// ARP entry expires).
/// </summary>
public static class Uplink
{
    /// <summary>The interface holding <paramref name="self"/>, or null.</summary>
    public static NetworkInterface? Of(IPAddress self) =>
        NetworkInterface.GetAllNetworkInterfaces().FirstOrDefault(n => n.GetIPProperties().UnicastAddresses.Any(u => u.Address.Equals(self))
            || IPAddress.IsLoopback(self) && n.NetworkInterfaceType == NetworkInterfaceType.Loopback);

    /// <summary>Null while the uplink is up; otherwise why not, in an operator's words.</summary>
    public static string? DownReason(IPAddress self)
    {
        var nic = Of(self);
        if (nic is null)
        {
            return $"this node's address {self} is on no interface";
        }

        // Loopback reports Unknown; a veth whose peer went down reports LowerLayerDown.
        return nic.OperationalStatus is OperationalStatus.Up or OperationalStatus.Unknown
            ? null
            : $"uplink {nic.Name} (carrying {self}) is {nic.OperationalStatus.ToString().ToLowerInvariant()}";
    }

    /// <summary>The owned addresses on the interface now.</summary>
    public static HashSet<IPAddress> AddressesOn(NetworkInterface nic) => [.. nic.GetIPProperties().UnicastAddresses.Select(u => u.Address)];

    /// <summary>Adds an address to the interface (rtnetlink, as <c>ip addr add</c>); returns an error or null.</summary>
    public static Task<string?> AddAsync(string nic, OwnedAddress a) => Task.FromResult(AddressNetlink.Add(nic, a));

    /// <summary>Removes an address from the interface (rtnetlink, as <c>ip addr del</c>); returns an error or null.</summary>
    public static Task<string?> RemoveAsync(string nic, OwnedAddress a) => Task.FromResult(AddressNetlink.Remove(nic, a));

    /// <summary>
    /// Announces an IPv4 address with two unsolicited ARP packets, the first at once and the second a second
    /// later for a neighbour that missed it (IPv6 neighbours learn the address from traffic).
    /// </summary>
    public static async Task<string?> AnnounceAsync(string nic, OwnedAddress a)
    {
        if (GratuitousArp.Send(nic, a.Address) is { } error)
        {
            return error;
        }

        await Task.Delay(TimeSpan.FromSeconds(1)).ConfigureAwait(false);
        return GratuitousArp.Send(nic, a.Address);
    }
}

using System.Globalization;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace Portico.Dsr;

/// <summary>What the DSR path needs to know about a Linux interface, read when a config is applied.</summary>
internal sealed record NetInterface(string Name, int Index, ulong Mac, IReadOnlyList<(IPAddress Address, int PrefixLength)> Ipv4)
{
    /// <summary>Reads the interface, or explains why it cannot be used.</summary>
    public static NetInterface Read(string name)
    {
        var dir = Path.Combine("/sys/class/net", name);
        if (!Directory.Exists(dir))
        {
            throw new DsrException($"interface {name} does not exist on this host (ip link show lists the interfaces)");
        }

        var index = int.Parse(File.ReadAllText(Path.Combine(dir, "ifindex")).Trim(), CultureInfo.InvariantCulture);
        var mac = Frame.ParseMac(File.ReadAllText(Path.Combine(dir, "address")).Trim());
        if (mac == 0)
        {
            throw new DsrException($"interface {name} has no Ethernet address: DSR steers Ethernet frames");
        }

        var nic = NetworkInterface.GetAllNetworkInterfaces().FirstOrDefault(n => n.Name == name);
        var v4 = nic?.GetIPProperties().UnicastAddresses
            .Where(a => a.Address.AddressFamily == AddressFamily.InterNetwork)
            .Select(a => (a.Address, a.PrefixLength))
            .ToList() ?? [];
        return new NetInterface(name, index, mac, v4);
    }

    /// <summary>The interface whose IPv4 subnet holds <paramref name="vip"/>, or null.</summary>
    public static string? HoldingSubnetOf(IPAddress vip) =>
        NetworkInterface.GetAllNetworkInterfaces()
            .Where(n => n.NetworkInterfaceType != NetworkInterfaceType.Loopback)
            .FirstOrDefault(n => n.GetIPProperties().UnicastAddresses.Any(a => a.Address.AddressFamily == AddressFamily.InterNetwork
                && !a.Address.Equals(vip) && InSubnet(a.Address, a.PrefixLength, vip)))?.Name;

    /// <summary>The interface of this host that has <paramref name="address"/> configured, or null.</summary>
    public static string? Owning(IPAddress address) =>
        NetworkInterface.GetAllNetworkInterfaces()
            .FirstOrDefault(n => n.GetIPProperties().UnicastAddresses.Any(a => a.Address.Equals(address)))?.Name;

    /// <summary>True when the kernel routes IPv4 packets arriving on the interface (it would forward DSR packets a second time).</summary>
    public bool KernelForwards
    {
        get
        {
            try
            {
                return File.ReadAllText($"/proc/sys/net/ipv4/conf/{Name}/forwarding").Trim() == "1";
            }
            catch (IOException)
            {
                return false;
            }
        }
    }

    /// <summary>The source for Portico's ARP requests toward <paramref name="server"/>: an address of the server's subnet, any address, or 0.0.0.0 (an ARP probe).</summary>
    public uint ArpSourceFor(uint server)
    {
        foreach (var (a, prefix) in Ipv4)
        {
            if (InSubnet(a, prefix, Frame.ToAddress(server)))
            {
                return Frame.FromAddress(a);
            }
        }

        return Ipv4.Count > 0 ? Frame.FromAddress(Ipv4[0].Address) : 0;
    }

    public static bool InSubnet(IPAddress network, int prefix, IPAddress ip)
    {
        if (ip.AddressFamily != AddressFamily.InterNetwork || network.AddressFamily != AddressFamily.InterNetwork)
        {
            return false;
        }

        var mask = prefix == 0 ? 0u : uint.MaxValue << (32 - prefix);
        return (Frame.FromAddress(network) & mask) == (Frame.FromAddress(ip) & mask);
    }
}

using System.Globalization;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace Portico.RealServer;

/// <summary>
/// What a real server's network looks like from inside it: addresses per interface and the ARP sysctls,
/// read from the kernel (<c>/proc/sys</c>, interface list) as they are now.
/// </summary>
internal sealed class HostNetwork
{
    private readonly string _proc;

    public HostNetwork(string proc = "/proc/sys/net/ipv4/conf")
    {
        _proc = proc;
        Interfaces = NetworkInterface.GetAllNetworkInterfaces()
            .Select(n => new HostInterface(n.Name, n.NetworkInterfaceType == NetworkInterfaceType.Loopback, n.OperationalStatus != OperationalStatus.Down,
                [.. n.GetIPProperties().UnicastAddresses.Where(a => a.Address.AddressFamily == AddressFamily.InterNetwork).Select(a => (a.Address, a.PrefixLength))]))
            .ToList();
    }

    public IReadOnlyList<HostInterface> Interfaces { get; }

    /// <summary>The interface a DSR VIP's frames arrive on: the one whose subnet holds the VIP, else the first with IPv4.</summary>
    public HostInterface? Facing(IPAddress vip) =>
        Interfaces.FirstOrDefault(i => !i.Loopback && i.Addresses.Any(a => !a.Address.Equals(vip) && Portico.Dsr.NetInterface.InSubnet(a.Address, a.PrefixLength, vip)))
        ?? Interfaces.FirstOrDefault(i => !i.Loopback && i.Addresses.Count > 0);

    /// <summary>A sysctl of <c>net.ipv4.conf.&lt;scope&gt;</c>, or null when the scope does not exist.</summary>
    public int? Sysctl(string scope, string name)
    {
        var path = Path.Combine(_proc, scope, name);
        return File.Exists(path) ? int.Parse(File.ReadAllText(path).Trim(), CultureInfo.InvariantCulture) : null;
    }

    public void SetSysctl(string scope, string name, int value) =>
        File.WriteAllText(Path.Combine(_proc, scope, name), value.ToString(CultureInfo.InvariantCulture));
}

/// <summary>One interface and its IPv4 addresses.</summary>
internal sealed record HostInterface(string Name, bool Loopback, bool Up, IReadOnlyList<(IPAddress Address, int PrefixLength)> Addresses)
{
    public (IPAddress Address, int PrefixLength)? Find(IPAddress ip) =>
        Addresses.Where(a => a.Address.Equals(ip)).Select(a => ((IPAddress, int)?)a).FirstOrDefault();
}

using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using Portico.Capture.Filters;
using SharpPcap.LibPcap;

namespace Portico.Capture.Wire;

/// <summary>
/// Which interfaces a wire capture listens on: those the operator names (<c>-interface lo eth0</c>, or
/// <c>any</c>), else those that carry the filter's addresses: <c>lo</c> for loopback addresses, the interface
/// holding a local address (a VIP, a SNIP), the interface the kernel routes a remote member through.
/// A filter without names, or a vserver on <c>*</c>, captures on <c>any</c> (every interface).
/// </summary>
internal static class CaptureInterfaces
{
    public const string Any = "any";

    public static IReadOnlyList<string> Choose(IReadOnlyList<string> requested, TraceFilter filter)
    {
        var available = Available();
        if (requested.Count > 0)
        {
            foreach (var name in requested)
            {
                if (!available.Contains(name, StringComparer.Ordinal))
                {
                    throw new TraceStartException($"no interface named '{name}' can be captured on; interfaces: {string.Join(", ", available)}", "interface");
                }
            }

            return [.. requested.Distinct(StringComparer.Ordinal)];
        }

        if (filter.AnyAddress)
        {
            return [Any];
        }

        var chosen = new List<string>();
        foreach (var address in filter.Addresses)
        {
            var name = InterfaceFor(address);
            if (name is null || !available.Contains(name, StringComparer.Ordinal))
            {
                return [Any];
            }

            if (!chosen.Contains(name, StringComparer.Ordinal))
            {
                chosen.Add(name);
            }
        }

        return chosen.Count == 0 ? [Any] : chosen;
    }

    /// <summary>The names libpcap can capture on.</summary>
    public static IReadOnlyList<string> Available()
    {
        try
        {
            return [.. LibPcapLiveDeviceList.New().Select(d => d.Name)];
        }
        catch (Exception e) when (LibPcap.IsMissingLibrary(e))
        {
            throw new TraceStartException(LibPcap.InstallHint);
        }
    }

    /// <summary>The interface packets to or from <paramref name="address"/> cross on this host, or null.</summary>
    internal static string? InterfaceFor(IPAddress address)
    {
        if (IPAddress.IsLoopback(address))
        {
            return NetworkInterface.GetAllNetworkInterfaces().FirstOrDefault(n => n.NetworkInterfaceType == NetworkInterfaceType.Loopback)?.Name ?? "lo";
        }

        return Holding(address) ?? Holding(RouteSource(address));
    }

    private static string? Holding(IPAddress? address) =>
        address is null ? null : NetworkInterface.GetAllNetworkInterfaces()
            .FirstOrDefault(n => n.GetIPProperties().UnicastAddresses.Any(u => u.Address.Equals(address)))?.Name;

    // Connecting a UDP socket sends nothing; it only asks the kernel which source address its route uses.
    private static IPAddress? RouteSource(IPAddress destination)
    {
        try
        {
            using var probe = new Socket(destination.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            probe.Connect(new IPEndPoint(destination, 9));
            return (probe.LocalEndPoint as IPEndPoint)?.Address;
        }
        catch (SocketException)
        {
            return null;
        }
    }
}

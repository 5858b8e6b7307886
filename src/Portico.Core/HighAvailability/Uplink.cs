using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.NetworkInformation;

namespace Portico.HighAvailability;

/// <summary>
/// The interface that carries this node's own address (its NSIP): the monitored uplink, and where the
/// primary puts the VIPs and SNIPs (<c>ip addr add</c>, then gratuitous ARP with <c>arping -U</c> so the
/// segment's neighbours move to this node's MAC at once instead of when their ARP entry expires).
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

    /// <summary>Adds an address to the interface; returns an error or null.</summary>
    public static Task<string?> AddAsync(string nic, OwnedAddress a) => RunAsync("ip", "addr", "add", a.ToString(), "dev", nic);

    /// <summary>Removes an address from the interface; returns an error or null.</summary>
    public static Task<string?> RemoveAsync(string nic, OwnedAddress a) => RunAsync("ip", "addr", "del", a.ToString(), "dev", nic);

    /// <summary>Announces an IPv4 address with two unsolicited ARP packets (IPv6 neighbours learn it from traffic).</summary>
    public static Task<string?> AnnounceAsync(string nic, OwnedAddress a) =>
        a.Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork
            ? RunAsync("arping", "-U", "-c", "2", "-w", "1", "-I", nic, a.Address.ToString())
            : Task.FromResult<string?>(null);

    private static async Task<string?> RunAsync(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            psi.ArgumentList.Add(arg);
        }

        try
        {
            using var p = Process.Start(psi)!;
            var stderr = p.StandardError.ReadToEndAsync();
            _ = p.StandardOutput.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await p.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                p.Kill(entireProcessTree: true);
                return $"{file} {string.Join(' ', args)}: no answer within 5 s";
            }

            return p.ExitCode == 0 ? null : $"{file} {string.Join(' ', args)} failed ({p.ExitCode.ToString(CultureInfo.InvariantCulture)}): {(await stderr.ConfigureAwait(false)).Trim()}";
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return $"{file} cannot run: {e.Message}";
        }
    }
}

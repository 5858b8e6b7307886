using System.Diagnostics;
using System.Net;
using System.Text;

namespace Portico.RealServer;

/// <summary>
/// What a Linux real server behind a DSR vserver needs (the source document's two DSR posts): the VIP as
/// a /32 on <c>lo</c>, so it accepts frames sent to the VIP without owning it on the wire, and
/// <c>arp_ignore=1</c> / <c>arp_announce=2</c> on <c>all</c> and on the facing interface, so it never
/// answers ARP for the VIP nor announces it. Printed as commands, or applied as root.
/// </summary>
internal static class RealServerSetup
{
    public static readonly (string Name, int Value, string Why)[] ArpSettings =
    [
        ("arp_ignore", 1, "answer ARP only for addresses of the interface the request came in on (not the VIP on lo)"),
        ("arp_announce", 2, "use the interface's own address, never the VIP, as the sender of ARP requests"),
    ];

    /// <summary>The commands and sysctl.conf lines, as a script an operator can read and run.</summary>
    public static string Plan(IPAddress vip, string dev, string facing)
    {
        var sb = new StringBuilder();
        sb.Append($"# Direct server return: this host serves VIP {vip}, which Portico balances by MAC.\n");
        sb.Append($"# 1. The VIP as a /32 on {dev}: frames to the VIP are accepted, and nothing on the wire says this host has it.\n");
        sb.Append($"ip addr add {vip}/32 dev {dev}\n");
        sb.Append($"# 2. Never answer ARP for the VIP nor announce it, or this host steals the VIP's traffic from Portico.\n");
        foreach (var scope in Scopes(facing))
        {
            foreach (var (name, value, _) in ArpSettings)
            {
                sb.Append($"sysctl -w net.ipv4.conf.{scope}.{name}={value}\n");
            }
        }

        sb.Append("# 3. To keep the settings across reboots, add these lines to /etc/sysctl.conf (or a file in /etc/sysctl.d/):\n");
        foreach (var line in SysctlConfLines(facing))
        {
            sb.Append("#   ").Append(line).Append('\n');
        }

        sb.Append($"#    and add the VIP to {dev} at boot (ifupdown: 'up ip addr add {vip}/32 dev {dev}' under 'iface {dev} inet loopback';\n");
        sb.Append($"#    systemd-networkd: an [Address] Address={vip}/32 section in the {dev} .network file).\n");
        return sb.ToString();
    }

    public static IEnumerable<string> SysctlConfLines(string facing) =>
        Scopes(facing).SelectMany(scope => ArpSettings.Select(s => $"net.ipv4.conf.{scope}.{s.Name} = {s.Value}"));

    /// <summary>Applies the plan (root only); returns what it did, line by line.</summary>
    public static IReadOnlyList<string> Apply(HostNetwork host, IPAddress vip, string dev, string facing)
    {
        var done = new List<string>();
        var lo = host.Interfaces.FirstOrDefault(i => i.Name == dev)
            ?? throw new RealServerException($"interface {dev} does not exist on this host");
        if (lo.Find(vip) is { PrefixLength: 32 })
        {
            done.Add($"{vip}/32 is already on {dev}");
        }
        else
        {
            Run("ip", "addr", "add", $"{vip}/32", "dev", dev);
            done.Add($"added {vip}/32 to {dev}");
        }

        foreach (var scope in Scopes(facing))
        {
            foreach (var (name, value, _) in ArpSettings)
            {
                var now = host.Sysctl(scope, name) ?? throw new RealServerException($"net.ipv4.conf.{scope}.{name} does not exist on this host");
                if (now >= value)
                {
                    done.Add($"net.ipv4.conf.{scope}.{name} is already {now}");
                    continue;
                }

                host.SetSysctl(scope, name, value);
                done.Add($"set net.ipv4.conf.{scope}.{name}={value} (was {now})");
            }
        }

        return done;
    }

    public static IEnumerable<string> Scopes(string facing) => facing == "all" ? ["all"] : ["all", facing];

    private static void Run(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var p = Process.Start(psi) ?? throw new RealServerException($"cannot run {file}");
        var error = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0)
        {
            throw new RealServerException($"{file} {string.Join(' ', args)} failed: {error.Trim()}");
        }
    }
}

/// <summary>A real-server step failed; the message is for the operator.</summary>
internal sealed class RealServerException(string message) : Exception(message);

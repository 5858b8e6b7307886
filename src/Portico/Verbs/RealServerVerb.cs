using System.CommandLine;
using System.Net;
using System.Net.Sockets;
using Portico.RealServer;

namespace Portico.Verbs;

/// <summary>
/// <c>portico realserver setup|check</c>: run on a Linux real server behind a <c>-m MAC</c> vserver, not on
/// Portico. <c>setup</c> prints (or applies, as root) the loopback VIP and ARP settings; <c>check</c>
/// verifies them and explains each wrong one.
/// </summary>
internal static class RealServerVerb
{
    public static Command Create()
    {
        var vip = new Option<string>("--vip") { Description = "The DSR vserver's VIP (IPv4)", Required = true };
        var dev = new Option<string>("--dev") { Description = "Where the VIP lives on this server", DefaultValueFactory = _ => "lo" };
        var facing = new Option<string?>("--interface") { Description = "The interface facing Portico (default: the one whose subnet holds the VIP)" };
        var apply = new Option<bool>("--apply") { Description = "Apply the settings now (root); without it, print them" };

        var setup = new Command("setup", "Print (or --apply, as root) what this real server needs for a DSR VIP: the VIP as /32 on lo, arp_ignore=1 and arp_announce=2")
        {
            vip, dev, facing, apply,
        };
        setup.SetAction(r => Setup(r.GetValue(vip)!, r.GetValue(dev)!, r.GetValue(facing), r.GetValue(apply)));

        var check = new Command("check", "Verify this real server for a DSR VIP and explain every wrong setting, the ARP trap first") { vip, dev, facing };
        check.SetAction(r => Check(r.GetValue(vip)!, r.GetValue(dev)!, r.GetValue(facing)));

        return new Command("realserver", "Prepare or verify a Linux real server behind a -m MAC (direct server return) vserver; run it on the real server")
        {
            setup, check,
        };
    }

    private static int Setup(string vipText, string dev, string? facingName, bool apply)
    {
        if (!TryVip(vipText, out var vip))
        {
            return 2;
        }

        var host = new HostNetwork();
        var facing = FacingOf(host, vip, facingName);
        if (facing is null)
        {
            return 2;
        }

        if (!apply)
        {
            Console.Write(RealServerSetup.Plan(vip, dev, facing));
            return 0;
        }

        if (Environment.UserName != "root" && !IsRoot())
        {
            Console.Error.WriteLine("portico realserver setup --apply: changing addresses and sysctls needs root; run it with sudo, or without --apply to print the commands");
            return 2;
        }

        try
        {
            foreach (var line in RealServerSetup.Apply(host, vip, dev, facing))
            {
                Console.WriteLine(line);
            }
        }
        catch (Exception e) when (e is RealServerException or IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"portico realserver setup: {e.Message}");
            return 1;
        }

        Console.WriteLine("To keep these across reboots, add to /etc/sysctl.conf:");
        foreach (var line in RealServerSetup.SysctlConfLines(facing))
        {
            Console.WriteLine("  " + line);
        }

        Console.WriteLine($"and add {vip}/32 to {dev} at boot. Verify with: portico realserver check --vip {vip}");
        return 0;
    }

    private static int Check(string vipText, string dev, string? facingName)
    {
        if (!TryVip(vipText, out var vip))
        {
            return 2;
        }

        var host = new HostNetwork();
        var facing = facingName is null ? host.Facing(vip) : host.Interfaces.FirstOrDefault(i => i.Name == facingName);
        if (facingName is not null && facing is null)
        {
            Console.Error.WriteLine($"portico realserver check: interface {facingName} does not exist on this host");
            return 2;
        }

        var findings = RealServerCheck.Run(host, vip, dev, facing);
        foreach (var f in findings)
        {
            Console.WriteLine($"{(f.Ok ? "OK   " : "WRONG")} {f.What}");
            if (f.Explanation is not null)
            {
                Console.WriteLine($"      {f.Explanation}");
            }

            if (f.Fix is not null)
            {
                Console.WriteLine($"      fix: {f.Fix}");
            }
        }

        var wrong = findings.Count(f => !f.Ok);
        if (wrong == 0)
        {
            Console.WriteLine($"This host is ready to serve DSR VIP {vip}{(facing is null ? "" : $" behind Portico on {facing.Name}")}.");
            return 0;
        }

        if (findings.Any(f => !f.Ok && f.Explanation?.Contains("ARP trap", StringComparison.Ordinal) == true))
        {
            Console.WriteLine(RealServerCheck.Symptom);
        }

        Console.WriteLine($"{wrong} setting(s) wrong; 'portico realserver setup --vip {vip} --apply' (as root) fixes them.");
        return 1;
    }

    private static string? FacingOf(HostNetwork host, IPAddress vip, string? name)
    {
        if (name is not null)
        {
            if (host.Interfaces.Any(i => i.Name == name))
            {
                return name;
            }

            Console.Error.WriteLine($"portico realserver: interface {name} does not exist on this host");
            return null;
        }

        if (host.Facing(vip) is { } facing)
        {
            return facing.Name;
        }

        Console.Error.WriteLine($"portico realserver: no interface with an IPv4 address faces {vip}; name it with --interface");
        return null;
    }

    private static bool TryVip(string text, out IPAddress vip)
    {
        if (IPAddress.TryParse(text, out vip!) && vip.AddressFamily == AddressFamily.InterNetwork && text.Count(c => c == '.') == 3)
        {
            return true;
        }

        Console.Error.WriteLine($"portico realserver: --vip {text}: expected an IPv4 address like 10.0.0.100 (DSR VIPs are IPv4: they rely on ARP)");
        return false;
    }

    private static bool IsRoot() => File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("Uid:", StringComparison.Ordinal))
        ?.Split('\t', StringSplitOptions.RemoveEmptyEntries).ElementAtOrDefault(1) == "0";
}

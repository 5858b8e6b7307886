using System.Net;

namespace Portico.RealServer;

/// <summary>One verdict of <c>portico realserver check</c>: what was looked at, whether it is right, and why it matters.</summary>
internal sealed record Finding(bool Ok, string What, string? Explanation = null, string? Fix = null);

/// <summary>
/// Verifies a real server for a DSR VIP and explains each wrong setting in plain words, the ARP trap
/// first: a server that answers ARP for the VIP makes clients and routers send it the VIP's traffic
/// directly, so Portico no longer balances anything and the other servers sit idle.
/// </summary>
internal static class RealServerCheck
{
    public const string Symptom =
        "Symptom of the ARP trap: the VIP's traffic goes straight to one real server instead of through Portico; "
        + "'arping -I <interface> <VIP>' from a client on the segment shows two MACs (Portico's and this server's), "
        + "and Portico's 'show dsr' reports another MAC answering ARP for the VIP.";

    public static IReadOnlyList<Finding> Run(HostNetwork host, IPAddress vip, string dev, HostInterface? facing)
    {
        var findings = new List<Finding>();
        var loopback = host.Interfaces.FirstOrDefault(i => i.Name == dev);
        var onLo = loopback?.Find(vip);
        if (loopback is null)
        {
            findings.Add(new Finding(false, $"interface {dev} does not exist", "the VIP must live on the loopback interface", "use --dev lo"));
        }
        else if (onLo is null)
        {
            findings.Add(new Finding(false, $"VIP {vip} is not on {dev}",
                "Portico sends this server frames addressed to the VIP; without the VIP on a local interface the kernel drops them and clients time out.",
                $"ip addr add {vip}/32 dev {dev}"));
        }
        else if (onLo.Value.PrefixLength != 32)
        {
            findings.Add(new Finding(false, $"VIP {vip} is on {dev} as /{onLo.Value.PrefixLength}, not /32",
                $"a /{onLo.Value.PrefixLength} on {dev} makes the whole subnet local: this server can no longer reach the clients and servers in it.",
                $"ip addr del {vip}/{onLo.Value.PrefixLength} dev {dev}; ip addr add {vip}/32 dev {dev}"));
        }
        else
        {
            findings.Add(new Finding(true, $"VIP {vip}/32 is on {dev}"));
        }

        foreach (var other in host.Interfaces.Where(i => i.Name != dev && i.Find(vip) is not null))
        {
            findings.Add(new Finding(false, $"VIP {vip} is also on {other.Name}",
                $"an address on {other.Name} is answered for in ARP whatever the sysctls say: this server takes the VIP from Portico (the ARP trap).",
                $"ip addr del {vip}/{other.Find(vip)!.Value.PrefixLength} dev {other.Name}"));
        }

        var scopes = facing is null ? ["all"] : RealServerSetup.Scopes(facing.Name).ToArray();
        foreach (var (name, wanted, why) in RealServerSetup.ArpSettings)
        {
            var values = scopes.Select(s => (Scope: s, Value: host.Sysctl(s, name))).ToList();

            // The kernel applies the larger of conf/all and conf/<interface>.
            var effective = values.Max(v => v.Value ?? 0);
            var shown = string.Join(", ", values.Select(v => $"{v.Scope}={v.Value?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "missing"}"));
            if (effective >= wanted)
            {
                findings.Add(new Finding(true, $"{name} is {effective} ({shown})"));
                continue;
            }

            var explanation = name == "arp_ignore"
                ? $"with arp_ignore={effective} this server answers ARP requests for every address it has, on any interface: the VIP on {dev} included. "
                    + "Clients and the router then learn this server's MAC for the VIP and send it the VIP's traffic directly, bypassing Portico (the ARP trap)."
                : $"with arp_announce={effective} this server may put the VIP as the sender address of its own ARP requests, "
                    + "which tells every host on the segment that the VIP is at this server's MAC (the ARP trap, from the other side).";
            findings.Add(new Finding(false, $"{name} is {effective} ({shown}); it must be {wanted}: {why}", explanation,
                string.Join("; ", scopes.Select(s => $"sysctl -w net.ipv4.conf.{s}.{name}={wanted}"))));
        }

        if (facing is null)
        {
            findings.Add(new Finding(false, "no interface with an IPv4 address faces the segment",
                "Portico reaches real servers on a shared L2 segment: this server needs an address there so Portico can resolve it by ARP.",
                "give the interface facing Portico an address in the segment's subnet"));
        }

        return findings;
    }
}

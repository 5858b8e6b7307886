using System.Net;
using System.Net.Sockets;
using Portico.CommandLanguage;
using Portico.Configuration;
using Portico.LoadBalancing;

namespace Portico.Dsr;

/// <summary>
/// What a <c>-m MAC</c> (direct server return) vserver must satisfy. The frame reaches the real server
/// unchanged but for its MAC addresses, so the server must listen on the VIP's own port, and only the
/// L4 types have frames Portico can steer without reading them.
/// </summary>
internal static class DsrVserverRules
{
    /// <summary>Linux interface names: 1 to 15 characters, no slash, blank or colon.</summary>
    public static readonly ValueParser InterfaceName = words =>
    {
        Values.ExpectCount(words, 1, 1);
        var name = words[0].Text;
        return name.Length is > 0 and <= 15 && !name.Any(ch => ch is '/' or ':' or ' ' || char.IsControl(ch))
            ? name
            : throw new ValueException(0, "expected a Linux interface name of 1 to 15 characters, like eth0");
    };

    /// <summary>The LB methods that make sense when Portico sees packets, not connections.</summary>
    public static bool IsHashMethod(LbMethod method) => method is LbMethod.Maglev or LbMethod.SourceIpHash or LbMethod.SrcIpSrcPortHash;

    /// <summary>Checks a vserver after <c>add</c> or <c>set</c>; returns it with the DSR default method when it is DSR.</summary>
    public static LbVserver Check(ConfigBuilder b, LbVserver v, ParsedCommand c)
    {
        if (v.Mode != RedirectionMode.Mac)
        {
            if (c.Has("dsrInterface"))
            {
                throw c.Error("dsrInterface", "-dsrInterface applies to -m MAC (direct server return) vservers only");
            }

            return v;
        }

        var at = c.Has("m") ? "m" : "name";
        if (!(v.Type.IsL4Tcp() || v.Type.IsUdp()))
        {
            throw new UnsupportedCommandException(
                $"-m MAC on a {ServiceTypes.Words[v.Type]} vserver is not supported by Portico: direct server return carries ANY, TCP and UDP vservers");
        }

        if (v.Address is null || v.Address.Equals(IPAddress.Any) || v.Address.Equals(IPAddress.IPv6Any))
        {
            throw c.Error(c.Has("IPAddress") ? "IPAddress" : at, "a -m MAC vserver needs its own VIP: Portico answers ARP for it and steers the frames sent to it");
        }

        if (v.Address.AddressFamily != AddressFamily.InterNetwork)
        {
            throw new UnsupportedCommandException("-m MAC with an IPv6 VIP is not supported by Portico: its direct server return answers ARP, which is IPv4");
        }

        if (!c.Has("lbMethod") && !IsHashMethod(v.Method))
        {
            // Portico sees packets, not connections: counts and round robin mean nothing to a stateless node.
            v = v with { Method = LbMethod.Maglev };
        }
        else if (c.Has("lbMethod") && !IsHashMethod(v.Method))
        {
            b.Note(c, $"-lbMethod {LbMethods.Words[v.Method]} acts as MAGLEV on a -m MAC vserver: Portico sees packets, not connections");
        }

        foreach (var (option, what) in new[] { ("persistenceType", "persistence"), ("backupVServer", "a backup vserver"), ("soMethod", "spillover"), ("cltTimeout", "an idle timeout") })
        {
            if (c.Has(option))
            {
                b.Note(c, $"-{option} has no effect on a -m MAC vserver: its flows are steered by hash, {what} needs the full proxy");
            }
        }

        // Bindings made before the switch to MAC are checked here; later ones at their own bind line.
        var name = v.Name;
        var bound = v.Bindings.Select(x => x.Target).ToList();
        if (bound.Count > 0)
        {
            b.Defer(c, at, x => PortProblems(x, name, bound));
        }

        return v;
    }

    /// <summary>A deferred check of one binding of a DSR vserver.</summary>
    public static string? BindingProblem(ConfigBuilder b, string vserver, string target) =>
        b.Vservers.TryGetValue(vserver, out var v) && v.Mode == RedirectionMode.Mac ? PortProblem(b, v, target) : null;

    private static string? PortProblems(ConfigBuilder b, string vserver, List<string> targets) =>
        b.Vservers.TryGetValue(vserver, out var v) && v.Mode == RedirectionMode.Mac
            ? targets.Select(t => PortProblem(b, v, t)).FirstOrDefault(p => p is not null)
            : null;

    private static string? PortProblem(ConfigBuilder b, LbVserver v, string target)
    {
        IEnumerable<(string Name, int Port)> ports = b.Services.TryGetValue(target, out var s) ? [(s.Name, s.Port)]
            : b.ServiceGroups.TryGetValue(target, out var g) ? g.Members.Select(m => ($"{g.Name} member {m.ServerName}", m.Port))
            : [];
        foreach (var (name, port) in ports)
        {
            if (port != 0 && port != v.Port)
            {
                return $"'{name}' listens on port {port}, but a -m MAC vserver forwards frames unchanged to its port {(v.Port == 0 ? "*" : v.Port)}: "
                    + $"give the service port {(v.Port == 0 ? "*" : v.Port)} or *";
            }
        }

        return null;
    }
}

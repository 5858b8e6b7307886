using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using Portico.LoadBalancing;
using Portico.Runtime;

namespace Portico.Capture.Filters;

/// <summary>
/// Expands Portico's names inside a BPF expression, against the running config:
/// <list type="bullet">
/// <item><c>vserver web</c>: its client side, <c>tcp and host VIP and port P</c> (udp for UDP/DNS vservers; no
/// host for a <c>*</c> VIP); with <c>-link ENABLED</c> also its server side, each bound member's
/// <c>tcp and host M and port Pm</c>, narrowed to the member's SNIPs when server connections leave from them.</item>
/// <item><c>service s1</c> (a service, or a service group's members): its server side; with <c>-link ENABLED</c>
/// also the client side of every vserver it is bound to.</item>
/// </list>
/// Everything else is BPF and stays as written, so <c>vserver web and not port 22</c> works. The result is
/// compiled by libpcap before the capture starts, so a syntax error is reported at once.
/// </summary>
internal static partial class TraceFilterExpander
{
    public static TraceFilter Expand(string? text, bool link, RuntimeModel model)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return TraceFilter.Everything;
        }

        if (text.Contains("CONNECTION.", StringComparison.OrdinalIgnoreCase) || text.Contains(".EQ(", StringComparison.OrdinalIgnoreCase))
        {
            throw new TraceFilterException("NetScaler's CONNECTION.* filter expressions are not supported; write a BPF expression "
                + "(\"host 10.0.0.1 and port 80\") or Portico names (\"vserver web\", \"service s1\")");
        }

        var vservers = new List<string>();
        var services = new List<string>();
        var linked = new List<string>();
        var addresses = new HashSet<IPAddress>();
        var anyAddress = false;
        var bpf = NameTerm().Replace(text, m =>
        {
            var name = m.Groups["name"].Value;
            if (m.Groups["kind"].Value.Equals("vserver", StringComparison.OrdinalIgnoreCase))
            {
                var v = model.Vservers.GetValueOrDefault(name)
                    ?? throw new TraceFilterException($"no vserver named '{name}'{Known(model.Vservers.Keys)}");
                vservers.Add(v.Name);
                linked.AddRange(v.Members.Select(m => m.Service.Name));
                return Vserver(v, link, addresses, ref anyAddress);
            }

            var members = model.Services.Values.Where(s => s.Name == name || s.Group == name).ToList();
            if (members.Count == 0)
            {
                throw new TraceFilterException($"no service or service group named '{name}'{Known(model.Services.Values.Select(s => s.Group ?? s.Name).Distinct())}");
            }

            services.AddRange(members.Select(s => s.Name));
            return Service(members, link, model, addresses, ref anyAddress);
        });

        var namesOnly = vservers.Count + services.Count > 0 && NameTerm().Replace(text, "").Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .All(w => w.Equals("or", StringComparison.OrdinalIgnoreCase) || w == "||");
        return new TraceFilter(text, bpf, vservers, services, [.. linked.Distinct()], [.. addresses], namesOnly, anyAddress || (vservers.Count + services.Count == 0));
    }

    private static string Vserver(VserverRuntime v, bool link, HashSet<IPAddress> addresses, ref bool anyAddress)
    {
        var parts = new List<string>();
        if (v.Config.Address is { } vip && (v.Config.Port != 0 || !vip.Equals(IPAddress.Any)))
        {
            parts.Add(ClientSide(v.Config, addresses, ref anyAddress));
        }

        if (link)
        {
            parts.AddRange(v.Members.Select(m => ServerSide(m.Service, addresses)).Distinct());
        }

        return parts.Count == 0
            ? throw new TraceFilterException($"vserver '{v.Name}' has no address{(link ? " and no member" : " (it is reached as a backup)")}: nothing of it to capture"
                + (link ? "" : "; add -link ENABLED to capture its members' side"))
            : Join(parts);
    }

    private static string Service(List<ServiceRuntime> members, bool link, RuntimeModel model, HashSet<IPAddress> addresses, ref bool anyAddress)
    {
        var parts = members.Select(m => ServerSide(m, addresses)).Distinct().ToList();
        if (link)
        {
            foreach (var v in model.Vservers.Values.Where(v => v.Config.Address is not null && v.Members.Any(m => members.Contains(m.Service))))
            {
                parts.Add(ClientSide(v.Config, addresses, ref anyAddress));
            }
        }

        return Join(parts.Distinct().ToList());
    }

    private static string ClientSide(LbVserver v, HashSet<IPAddress> addresses, ref bool anyAddress)
    {
        var terms = new List<string> { Protocol(v.Type) };
        if (v.Address!.Equals(IPAddress.Any) || v.Address.Equals(IPAddress.IPv6Any))
        {
            anyAddress = true;
        }
        else
        {
            addresses.Add(v.Address);
            terms.Add($"host {v.Address}");
        }

        if (v.Port != 0)
        {
            terms.Add($"port {v.Port}");
        }

        return "(" + string.Join(" and ", terms) + ")";
    }

    private static string ServerSide(ServiceRuntime m, HashSet<IPAddress> addresses)
    {
        addresses.Add(m.Endpoint.Address);
        var sb = new StringBuilder($"({Protocol(m.Type)} and host {m.Endpoint.Address} and port {m.Endpoint.Port}");
        if (m.SourceAddresses.Count > 0)
        {
            // With SNIPs the server connections leave from them: the member's other talkers are not Portico's.
            addresses.UnionWith(m.SourceAddresses);
            sb.Append(" and (").Append(string.Join(" or ", m.SourceAddresses.Select(a => $"host {a}"))).Append(')');
        }

        return sb.Append(')').ToString();
    }

    private static string Protocol(ServiceType type) => type.IsUdp() ? "udp" : "tcp";

    private static string Join(List<string> parts) => parts.Count == 1 ? parts[0] : "(" + string.Join(" or ", parts) + ")";

    private static string Known(IEnumerable<string> names)
    {
        var list = names.Order(StringComparer.Ordinal).Take(10).ToList();
        return list.Count == 0 ? " (none is configured)" : $"; configured: {string.Join(", ", list)}";
    }

    // "vserver NAME" or "service NAME": NetScaler names start with a letter, digit or _ and hold no blank or parenthesis here.
    [GeneratedRegex(@"(?<![\w.-])(?<kind>vserver|service)\s+(?<name>[A-Za-z0-9_][A-Za-z0-9_#.:@=-]*)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex NameTerm();
}

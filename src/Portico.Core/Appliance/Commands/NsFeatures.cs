using Portico.Configuration;

namespace Portico.Appliance.Commands;

/// <summary>
/// NetScaler's licensed features (<c>show ns feature</c>), and whether Portico has each. A feature counts as
/// present when the command that configures it is registered, so the list follows what lands without a second
/// place to edit. Portico's features are always on: <c>enable ns feature</c> lines are kept without effect.
/// </summary>
internal static class NsFeatures
{
    /// <summary>Acronym, NetScaler's name, and the command that shows Portico has it (null: no Portico counterpart).</summary>
    private static readonly (string Acronym, string Name, string? Command)[] All =
    [
        ("WL", "Web Logging", "set ns accessLog"),
        ("SP", "Surge Protection", null),
        ("LB", "Load Balancing", "add lb vserver"),
        ("CS", "Content Switching", "add cs vserver"),
        ("CR", "Cache Redirection", "add cr vserver"),
        ("SC", "Sure Connect", null),
        ("CMP", "Compression Control", "add cmp policy"),
        ("PQ", "Priority Queuing", null),
        ("SSL", "SSL Offloading", "add ssl certKey"),
        ("GSLB", "Global Server Load Balancing", "add gslb vserver"),
        ("HDOSP", "Http DoS Protection", null),
        ("CF", "Content Filtering", "add filter policy"),
        ("IC", "Integrated Caching", "add cache policy"),
        ("SSLVPN", "SSL VPN", "add vpn vserver"),
        ("AAA", "AAA", "add authentication vserver"),
        ("OSPF", "OSPF Routing", null),
        ("RIP", "RIP Routing", null),
        ("BGP", "BGP Routing", null),
        ("REWRITE", "Rewrite", "add rewrite policy"),
        ("IPv6PT", "IPv6 protocol translation", null),
        ("AppFw", "Application Firewall", "add appfw policy"),
        ("RESPONDER", "Responder", "add responder policy"),
        ("HTMLInjection", "HTML Injection", null),
        ("push", "NetScaler Push", null),
        ("AppFlow", "AppFlow", "add appflow collector"),
        ("CloudBridge", "CloudBridge", null),
        ("ISIS", "ISIS Routing", null),
        ("CH", "CallHome", null),
        ("AppQoE", "AppQoE", "add appqoe policy"),
        ("ContentAccelerator", "Content Accelerator", null),
        ("RISE", "RISE", null),
        ("FEO", "Front End Optimization", null),
        ("LSN", "Large Scale NAT", "add lsn pool"),
        ("RDPProxy", "RDP Proxy", null),
        ("Rep", "Reputation", null),
        ("URLFiltering", "URL Filtering", null),
        ("VideoOptimization", "Video Optimization", null),
        ("ForwardProxy", "Forward Proxy", null),
        ("SSLInterception", "SSL Interception", null),
        ("AdaptiveTCP", "Adaptive TCP", null),
        ("CQA", "Connection Quality Analytics", null),
        ("CI", "Content Inspection", null),
        ("Bot", "Bot Management", "add bot policy"),
        ("APIGateway", "API Gateway", null),
    ];

    /// <summary>NetScaler's feature acronyms, for <c>enable ns feature</c> lines.</summary>
    public static IEnumerable<string> Acronyms => All.Select(f => f.Acronym);

    public static IReadOnlyList<NsFeatureView> Of(CommandRegistry registry)
    {
        var commands = registry.Specs.Select(s => s.FullName).ToHashSet(StringComparer.OrdinalIgnoreCase);
        return [.. All.Select(f => new NsFeatureView(f.Acronym, f.Name, f.Command is { } c && commands.Contains(c)))];
    }
}

/// <summary>One feature: NetScaler's acronym and name, and whether Portico has it (then it is on).</summary>
internal sealed record NsFeatureView(string Acronym, string Name, bool InPortico);

/// <summary><c>show ns feature</c>: NetScaler's table, with Portico's answer per feature.</summary>
internal sealed record NsFeatureList(IReadOnlyList<NsFeatureView> Features) : IQueryResult
{
    public string ToText()
    {
        var table = new TextTable("", "Feature", "Acronym", "Status");
        for (var i = 0; i < Features.Count; i++)
        {
            var f = Features[i];
            table.Row($"{i + 1})", f.Name, f.Acronym, f.InPortico ? "ON" : "OFF (not in Portico)");
        }

        return table + "Portico's features are always on; 'enable ns feature' lines are kept without effect.\n";
    }
}

/// <summary><c>show ns license</c>: NetScaler's per-feature YES/NO; Portico needs no license file.</summary>
/// <param name="LicenseType">NetScaler's edition word (Standard, Advanced, Premium); Portico has none.</param>
internal sealed record NsLicenseView(IReadOnlyList<NsFeatureView> Features, string LicenseType = "none needed") : IQueryResult
{
    public string ToText() =>
        "\tLicense status:\n"
        + string.Concat(Features.Select(f => $"\t\t{f.Name + ":",-32} {(f.InPortico ? "YES" : "NO")}\n"))
        + $"\tLicense Type: {LicenseType} (Portico has no license file; every feature it has is on)\n";
}

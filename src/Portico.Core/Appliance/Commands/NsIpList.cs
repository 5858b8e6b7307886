using Portico.Configuration;

namespace Portico.Appliance.Commands;

/// <summary><c>show ns ip</c>: the addresses Portico owns (SNIPs, VIPs...).</summary>
internal sealed record NsIpList(IReadOnlyList<NsIpView> Addresses) : IQueryResult
{
    public string ToText()
    {
        var table = new TextTable("IP Address", "Netmask", "Type", "On this host");
        foreach (var i in Addresses)
        {
            table.Row(i.Address, i.Netmask, i.Type, i.OnThisHost ? "yes" : "no: not usable as a source");
        }

        return $"{table.Count} address(es)\n{table}";
    }
}

/// <summary>One owned address.</summary>
/// <param name="OnThisHost">Whether the host has it: a SNIP the host lacks cannot be a source address.</param>
internal sealed record NsIpView(string Address, string Netmask, string Type, bool OnThisHost);

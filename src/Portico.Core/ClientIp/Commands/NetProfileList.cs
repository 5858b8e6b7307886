using Portico.Configuration;

namespace Portico.ClientIp.Commands;

/// <summary><c>show ns netProfile</c>: the net profiles, who uses them, and the options kept without effect.</summary>
internal sealed record NetProfileList(IReadOnlyList<NetProfileView> Profiles) : IQueryResult
{
    public string ToText()
    {
        var table = new TextTable("Name", "ProxyProtocol", "TxVersion", "SrcIP", "Used by");
        foreach (var p in Profiles)
        {
            table.Row(p.Name, p.ProxyProtocol ? "ENABLED" : "DISABLED", p.TxVersion, p.SourceIp ?? "-", p.UsedBy.Count == 0 ? "-" : string.Join(", ", p.UsedBy));
        }

        var kept = Profiles.Where(p => p.Kept.Count > 0).Select(p => $"{p.Name}: {string.Join(' ', p.Kept)} (kept, no effect)\n");
        return $"{table.Count} net profile(s)\n{table}{string.Concat(kept)}";
    }
}

/// <summary>One net profile.</summary>
/// <param name="ProxyProtocol">Vservers with it require a PROXY header; services with it send one.</param>
/// <param name="TxVersion">The PROXY protocol version sent (<c>V1</c>, <c>V2</c>).</param>
/// <param name="UsedBy">Vservers (<c>web (accepts)</c>), services and groups (<c>svc (sends)</c> when they send PROXY).</param>
/// <param name="Kept">NetScaler options kept and written back without effect, as written.</param>
internal sealed record NetProfileView(string Name, bool ProxyProtocol, string TxVersion, string? SourceIp, IReadOnlyList<string> UsedBy, IReadOnlyList<string> Kept);

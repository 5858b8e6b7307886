using Portico.Configuration;

namespace Portico.Appliance.Commands;

/// <summary><c>show ns param</c>: the global settings Portico acts on, and those it keeps.</summary>
/// <param name="ClientIpHeaderIsDefault">True when no <c>-cipHeader</c> was set.</param>
/// <param name="Kept">Options kept and written back without effect, as written.</param>
internal sealed record NsParamView(string ClientIpHeader, bool ClientIpHeaderIsDefault, IReadOnlyList<string> Kept) : IQueryResult
{
    public string ToText() =>
        $"\tClient IP header: {ClientIpHeader}{(ClientIpHeaderIsDefault ? " (default)" : "")}\n"
        + string.Concat(Kept.Select(k => $"\t{k} (kept, no effect)\n"));
}

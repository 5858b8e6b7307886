using Portico.Configuration;
using Portico.Health.Commands;

namespace Portico.LoadBalancing.Commands;

/// <summary><c>show service NAME</c>: one service, its health and each monitor's probes.</summary>
/// <param name="MaxClient">Most concurrent connections; 0 means no limit.</param>
internal sealed record ServiceDetail(string Name, string Endpoint, string Type, string Server, long MaxClient, MemberHealth Health, PartialNote? Partial) : IQueryResult
{
    public string ToText() =>
        $"{Name} ({Endpoint}) - {Type}\tServer: {Server}\tMaxClient: {(MaxClient == 0 ? "-" : MaxClient)}\n"
        + Health.ToText()
        + Partial?.Line("\t");
}

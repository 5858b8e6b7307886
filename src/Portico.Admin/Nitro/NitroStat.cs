using System.Globalization;
using System.Text.Json.Nodes;
using Portico.Configuration;
using Portico.LoadBalancing;
using Portico.LoadBalancing.Commands;

namespace Portico.Admin.Nitro;

/// <summary>
/// <c>/nitro/v1/stat/lbvserver</c> and <c>/stat/service</c> in NITRO's shape: an array of flat objects with NetScaler's
/// stat field names, 64-bit counters as strings, as NITRO sends them, so a playbook or exporter written for a NetScaler
/// (<c>lbvserver[0].curclntconnections</c>) reads Portico unchanged. Other stat resources answer with Portico's report.
/// </summary>
internal static class NitroStat
{
    /// <summary>NITRO's array for <paramref name="report"/>; null when the report has no NITRO shape here.</summary>
    public static JsonArray? Shape(object report, RunningConfig config) => report switch
    {
        VserverStats v => [.. v.Vservers.Select(r => Vserver(r, config.VserversByName.GetValueOrDefault(r.Name)))],
        ServiceStats s => [.. s.Services.Select(r => Service(r, config.ServicesByName.GetValueOrDefault(r.Name)))],
        _ => null,
    };

    private static JsonObject Vserver(VserverCounterRow r, LbVserver? v) => new()
    {
        ["name"] = r.Name,
        ["type"] = v is null ? null : ServiceTypes.Words[v.Type],
        ["primaryipaddress"] = v?.Address?.ToString() ?? "0.0.0.0",
        ["primaryport"] = v?.Port ?? 0,
        ["state"] = r.State,
        ["curclntconnections"] = Count(r.CurrentClientConnections),
        // NetScaler counts a hit per request on HTTP vservers and per connection on the others.
        ["tothits"] = Count(v is not null && v.Type.IsHttp() ? r.Requests : r.TotalConnections),
        ["totalrequests"] = Count(r.Requests),
        ["totalrequestbytes"] = Count(r.BytesIn),
        ["totalresponsebytes"] = Count(r.BytesOut),
        ["totalconnections"] = Count(r.TotalConnections),
        ["deniedconnections"] = Count(r.Denied + r.Refused),
    };

    private static JsonObject Service(ServiceCounterRow r, Service? s) => new()
    {
        ["name"] = r.Name,
        ["servicetype"] = s is null ? null : ServiceTypes.Words[s.Type],
        ["port"] = s?.Port ?? 0,
        ["state"] = r.State,
        ["cursrvrconnections"] = Count(r.CurrentConnections),
        ["vsvrservicehits"] = Count(r.Hits),
        ["totalrequests"] = Count(r.Hits),
        ["totalrequestbytes"] = Count(r.BytesToServer),
        ["totalresponsebytes"] = Count(r.BytesFromServer),
        ["totalconnections"] = Count(r.TotalConnections),
        ["connectfailures"] = Count(r.ConnectFailures),
    };

    private static string Count(long value) => value.ToString(CultureInfo.InvariantCulture);
}

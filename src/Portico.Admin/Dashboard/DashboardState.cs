using System.Text.Json.Nodes;
using Portico.Acl.Commands;
using Portico.Capture;
using Portico.CommandLanguage;
using Portico.Counters;
using Portico.Events;
using Portico.LoadBalancing.Commands;
using Portico.SystemUsers;

namespace Portico.Admin.Dashboard;

/// <summary>
/// <c>GET /gui/api/state</c>, what the page polls: the user and what they may do, vservers with their members
/// (state, weight, and the member's last failure reason from <c>show service</c>), the latest events, ACL rules
/// with their hits, captures with their files, and the live totals the page turns into rates.
/// </summary>
internal sealed class DashboardState(DashboardQueries queries, EventLog events, CounterCatalog counters, TimeProvider time, TraceManager? traces = null)
{
    /// <summary>The counters the page draws as rates (per vserver).</summary>
    public static readonly string[] RateCounters =
        ["portico.vserver.requests", "portico.vserver.connections", "portico.vserver.received.bytes", "portico.vserver.sent.bytes"];

    /// <summary>Vservers shown with their members; past this many, the list alone (one query per vserver per poll).</summary>
    private const int MaxDetailed = 100;

    private const int Events = 50;

    public async Task<JsonObject> ReadAsync(DashboardUser user, CancellationToken ct)
    {
        var policy = user.User.Policy;
        var services = await queries.RunAsync<ServiceList>(user, "show service", ct).ConfigureAwait(false);
        var reasons = services?.Services.ToDictionary(s => s.Name, s => s.Reason, StringComparer.Ordinal) ?? [];
        var vservers = new JsonArray();
        if (await queries.RunAsync<VserverList>(user, "show lb vserver", ct).ConfigureAwait(false) is { } list)
        {
            foreach (var summary in list.Vservers.Take(MaxDetailed))
            {
                var detail = await queries.RunAsync<VserverDetail>(user, "show lb vserver " + ConfigText.Quote(summary.Name), ct).ConfigureAwait(false);
                var v = (JsonObject)DashboardQueries.ToJson(summary)!;
                var members = new JsonArray();
                foreach (var m in detail?.Members ?? [])
                {
                    var member = (JsonObject)DashboardQueries.ToJson(m)!;
                    member["reason"] = reasons.GetValueOrDefault(m.Name);
                    members.Add(member);
                }

                v["members"] = members;
                v["comment"] = detail?.Comment;
                vservers.Add(v);
            }
        }

        var last = events.LastNumber;
        return new JsonObject
        {
            ["user"] = user.User.Name,
            ["policy"] = policy is { } p ? CommandPolicies.Word(p) : "none",
            ["canEdit"] = policy is CommandPolicy.Superuser or CommandPolicy.Operator,
            ["canViewConfig"] = user.Allows("show ns runningConfig"),
            ["canDownload"] = user.Allows("start nstrace"),
            ["csrfToken"] = user.Session.CsrfToken,
            ["now"] = time.GetUtcNow().ToUnixTimeMilliseconds(),
            ["vservers"] = vservers,
            ["services"] = services is null ? null : DashboardQueries.ToJson(services.Services),
            ["events"] = (await queries.JsonAsync(user, $"show ns events -eventNo {Math.Max(0, last - Events)}", ct).ConfigureAwait(false))?["events"]?.DeepClone(),
            ["acls"] = await queries.JsonAsync(user, "show ns acl", ct).ConfigureAwait(false) is { } acls ? acls["rules"]?.DeepClone() : null,
            ["simpleAcls"] = await queries.JsonAsync(user, "show ns simpleacl", ct).ConfigureAwait(false) is { } sacls ? sacls["rules"]?.DeepClone() : null,
            ["captures"] = user.Allows("show nstrace") ? Captures() : null,
            ["counters"] = user.Allows("stat lb vserver") ? Counters() : null,
        };
    }

    private JsonArray Captures()
    {
        var list = new JsonArray();
        foreach (var s in traces?.List() ?? [])
        {
            list.Add(new JsonObject
            {
                ["name"] = s.Name,
                ["running"] = s.Running,
                ["mode"] = s.Mode,
                ["where"] = s.Source.Where,
                ["filter"] = s.Filter.Text,
                ["summary"] = s.Summary().Trim(),
                ["stopReason"] = s.StopReason,
                ["files"] = new JsonArray([.. s.Files.Paths.Select(f => JsonValue.Create(Path.GetFileName(f)))]),
            });
        }

        return list;
    }

    private JsonObject Counters()
    {
        var o = new JsonObject();
        foreach (var name in RateCounters)
        {
            var values = new JsonObject();
            foreach (var (entity, value) in counters.Read(name))
            {
                values[entity] = value;
            }

            o[name] = values;
        }

        return o;
    }
}

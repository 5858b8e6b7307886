using Portico.CommandLanguage;
using Portico.Configuration;
using Portico.Runtime;

namespace Portico.Health.Commands;

/// <summary>The queries of <c>show lb monitor</c> and <c>show lb monbindings</c>: what is configured, and who probes whom now.</summary>
internal sealed class MonitorViews(IRuntimeSource runtime, HealthMonitors health)
{
    public static IQueryResult Monitors(CommandContext ctx, ParsedCommand c)
    {
        var config = ctx.Config;
        var all = config.Monitors.Concat(BuiltInMonitors.All.Values.OrderBy(m => m.Name, StringComparer.Ordinal)).ToList();
        var name = c.MaybeRef<string>("monitorName");
        if (name is not null)
        {
            var m = all.FirstOrDefault(x => x.Name == name) ?? throw c.Error("monitorName", $"no lb monitor named '{name}'");
            return MonitorDetail.Of(m, config);
        }

        return new MonitorList([.. all.Select(m => MonitorSummary.Of(m, config))]);
    }

    public MonitorBindingList Bindings(CommandContext ctx, ParsedCommand c)
    {
        var name = c.Get<string>("monitorName");
        if (!ctx.Config.MonitorsByName.ContainsKey(name) && !BuiltInMonitors.All.ContainsKey(name))
        {
            throw c.Error("monitorName", $"no lb monitor named '{name}'");
        }

        var rows = new List<MonitorBindingRow>();
        foreach (var member in runtime.Current.Services.Values.OrderBy(s => s.Name, StringComparer.Ordinal))
        {
            health.MonitorOf(member)?.Read(jobs =>
            {
                foreach (var j in jobs.Where(j => j.Monitor.Name == name))
                {
                    rows.Add(new MonitorBindingRow(member.Name, j.Target.Endpoint.ToString(), member.StateWord, j.Machine.State == HealthState.Up ? "UP" : "DOWN",
                        Interlocked.Read(ref j.Counters.Probes), Interlocked.Read(ref j.Counters.Failures), j.Machine.LastResult?.ToString()));
                }

                return 0;
            });
        }

        return new MonitorBindingList(name, rows);
    }
}

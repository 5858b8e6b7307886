using Portico.CommandLanguage;
using Portico.Configuration;
using Portico.Health;
using Portico.Health.Commands;
using Portico.Runtime;

namespace Portico.LoadBalancing.Commands;

/// <summary><c>show service</c> and <c>show serviceGroup</c>: the members as configured, with their live health.</summary>
internal sealed class ServiceQueries(IRuntimeSource runtime, HealthMonitors health, TimeProvider time)
{
    public IQueryResult Show(CommandContext ctx, ParsedCommand c)
    {
        var model = runtime.Current;
        var name = c.MaybeRef<string>("name");
        var services = ctx.Config.Services.Where(s => name is null || s.Name == name).ToList();
        if (name is not null && services.Count == 0)
        {
            throw c.Error("name", $"no service named '{name}'");
        }

        if (name is not null)
        {
            var s = services[0];
            var r = model.Services[s.Name];
            return new ServiceDetail(s.Name, r.Endpoint.ToString(), ServiceTypes.Words[s.Type], s.ServerName, s.Settings.MaxClient,
                MemberHealth.Of(health, r, time.GetUtcNow()), PartialNote.Of(PartialObjects.Of(ctx.Config), "service", s.Name, s.Enabled));
        }

        return new ServiceList(
            [.. services.Select(s =>
            {
                var r = model.Services[s.Name];
                var (probes, failed) = MemberHealth.ProbeCounts(health, r);
                return new ServiceSummary(s.Name, s.ServerName, r.Endpoint.ToString(), ServiceTypes.Words[s.Type], r.StateWord, s.Settings.MaxClient,
                    r.Health.LastChange, MemberHealth.MonitorNames(health, r), probes, failed, Reason(r));
            })],
            PartialNote.All(ctx.Config, "service", services.Select(s => (s.Name, s.Enabled))));
    }

    public ServiceGroupList ShowGroups(CommandContext ctx, ParsedCommand c)
    {
        var model = runtime.Current;
        var name = c.MaybeRef<string>("serviceGroupName");
        var groups = ctx.Config.ServiceGroups.Where(g => name is null || g.Name == name).ToList();
        if (name is not null && groups.Count == 0)
        {
            throw c.Error("serviceGroupName", $"no service group named '{name}'");
        }

        var partial = PartialObjects.Of(ctx.Config);
        return new ServiceGroupList([.. groups.Select(g => new ServiceGroupView(g.Name, ServiceTypes.Words[g.Type], g.Enabled, g.Settings.HealthMonitor,
            [.. ctx.Config.MonitorBindings.Where(b => b.Target == g.Name).Select(b => b.Monitor)],
            [.. g.Members.Select(m =>
            {
                var r = model.Services[m.DisplayName(g.Name)];
                var (probes, failed) = MemberHealth.ProbeCounts(health, r);
                return new ServiceGroupMemberView(m.ServerName, r.Endpoint.ToString(), m.Weight, r.StateWord, r.Health.LastChange, probes, failed, Reason(r));
            })],
            PartialNote.Of(partial, "serviceGroup", g.Name, g.Enabled)))]);
    }

    /// <summary><c>show server</c> reads the config only.</summary>
    public static ServerList Servers(CommandContext ctx, ParsedCommand c)
    {
        var name = c.MaybeRef<string>("name");
        var servers = ctx.Config.Servers.Where(s => name is null || s.Name == name).Select(s => new ServerView(s.Name, s.Address.ToString(), s.Enabled, s.Comment)).ToList();
        return name is not null && servers.Count == 0 ? throw c.Error("name", $"no server named '{name}'") : new ServerList(servers);
    }

    /// <summary>Why a member is not taking traffic: that it is disabled, or the failed monitor and layer; null when it is.</summary>
    private static string? Reason(ServiceRuntime r) =>
        !r.AdminEnabled ? "disabled" : r.Health.State == HealthState.Down ? r.Health.LastReason : null;
}

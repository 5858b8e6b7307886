using Portico.CommandLanguage;
using Portico.Configuration;
using Portico.Listeners;
using Portico.Runtime;

namespace Portico.LoadBalancing.Commands;

/// <summary><c>show lb vserver</c>: the running vservers, their settings, members and listeners.</summary>
internal sealed class VserverQueries(IRuntimeSource runtime, ListenerManager listeners)
{
    public IQueryResult Show(CommandContext ctx, ParsedCommand c)
    {
        var model = runtime.Current;
        var name = c.MaybeRef<string>("name");
        if (name is not null)
        {
            return model.Vservers.TryGetValue(name, out var one)
                ? Detail(one, ctx.Config)
                : throw c.Error("name", $"no lb vserver named '{name}'");
        }

        var all = model.Vservers.Values.OrderBy(v => v.Name, StringComparer.Ordinal).ToList();
        return new VserverList(
            [.. all.Select(v => new VserverSummary(v.Name, ServiceTypes.Words[v.Config.Type], v.Config.Endpoint, v.StateWord, LbMethods.Words[v.Config.Method],
                v.Members.Count(m => m.Service.IsAvailable), v.Members.Count, listeners.StatusOf(v.Name)))],
            PartialNote.All(ctx.Config, "lb vserver", all.Select(v => (v.Name, v.Config.Enabled))));
    }

    private VserverDetail Detail(VserverRuntime v, RunningConfig config)
    {
        var cfg = v.Config;
        var enabled = !config.VserversByName.TryGetValue(cfg.Name, out var configured) || configured.Enabled;
        return new VserverDetail(cfg.Name, cfg.Endpoint, ServiceTypes.Words[cfg.Type], v.StateWord, listeners.StatusOf(v.Name),
            LbMethods.Words[cfg.Method], cfg.BackupMethod is { } bm ? LbMethods.Words[bm] : null,
            PersistenceTypes.Words[cfg.Persistence], cfg.Persistence != PersistenceType.None ? cfg.PersistenceTimeoutMinutes : null, cfg.ClientTimeout,
            cfg.BackupVserver, cfg.SpilloverThreshold, cfg.DisablePrimaryOnDown, cfg.DisablePrimaryOnDown && v.Hold.IsHeld ? v.Hold.Since : null, cfg.Comment,
            [.. v.Members.Select(m => new VserverMember(m.Service.Name, m.Service.Endpoint.ToString(), ServiceTypes.Words[m.Service.Type], m.Service.StateWord,
                m.Weight, m.Service.IsAvailable))],
            PartialNote.Of(PartialObjects.Of(config), "lb vserver", cfg.Name, enabled));
    }
}

using Portico.CommandLanguage;
using Portico.Runtime;
using Portico.Upstream;

namespace Portico.LoadBalancing.Commands;

/// <summary>The <c>stat</c> commands of vservers and services: live counters, read without stopping the data path.</summary>
internal sealed class StatQueries(IRuntimeSource runtime)
{
    public VserverStats Vservers(Configuration.CommandContext ctx, ParsedCommand c)
    {
        var model = runtime.Current;
        var name = c.MaybeRef<string>("name");
        if (name is null)
        {
            return new VserverStats([.. model.Vservers.Values.OrderBy(v => v.Name, StringComparer.Ordinal).Select(VserverCounterRow.Of)],
                SourcePortReport.Starved(model.Services.Values), null, null, null);
        }

        var v = model.Vservers.TryGetValue(name, out var one) ? one : throw c.Error("name", $"no lb vserver named '{name}'");
        return new VserverStats([VserverCounterRow.Of(v)], [], [.. v.Members.Select(m => ServiceCounterRow.Of(m.Service))],
            v.Config.Type.IsHttp() ? VserverHttpCounters.Of(v) : null, ClientIp.Commands.ClientIpReport.ForVserver(v));
    }

    public ServiceStats Services(Configuration.CommandContext ctx, ParsedCommand c)
    {
        var model = runtime.Current;
        var name = c.MaybeRef<string>("name");
        if (name is not null && !model.Services.ContainsKey(name))
        {
            throw c.Error("name", $"no service named '{name}'");
        }

        var chosen = model.Services.Values.Where(s => name is null || s.Name == name).ToList();
        return new ServiceStats([.. chosen.OrderBy(s => s.Name, StringComparer.Ordinal).Select(ServiceCounterRow.Of)], SourcePortReport.Starved(chosen));
    }
}

using Portico.CommandLanguage;
using Portico.Configuration;
using Portico.Counters.History;

namespace Portico.Counters.Commands;

/// <summary><c>show ns counters</c>: the history log and the counter catalogue.</summary>
internal sealed class CounterQueries(HistorySampler sampler, CounterCatalog catalog)
{
    public CounterHistoryView Show(CommandContext ctx, ParsedCommand c)
    {
        var path = sampler.CurrentPath is { } p && File.Exists(p) ? p : null;
        return new CounterHistoryView(ctx.Config.Counters, sampler.Directory, path, path is null ? null : new FileInfo(path).Length, sampler.Samples, sampler.LastError,
            [.. catalog.Definitions.Select(d => new CounterDeclaration(d.Name, d.Kind == CounterKind.Total ? "total" : "gauge", d.Unit, d.EntityTag, d.Description))]);
    }
}

using System.Text;
using Portico.CommandLanguage;
using Portico.Configuration;
using Portico.Listeners;
using Portico.LoadBalancing;
using Portico.Runtime;

namespace Portico.ContentSwitching.Commands;

/// <summary><c>show cs vserver</c> and <c>stat cs vserver</c>: the running cs vservers, their targets and counters.</summary>
internal sealed class CsQueries(CsListeningSource source, IRuntimeSource runtime, ListenerManager listeners)
{
    public IQueryResult Show(CommandContext ctx, ParsedCommand c) => new CsVserverList([.. Select(c).Select(View)]);

    public IQueryResult Stat(CommandContext ctx, ParsedCommand c) => new CsVserverStats([.. Select(c).Select(v => new CsVserverStat(
        v.Name,
        StateOf(v),
        Interlocked.Read(ref v.Front.Counters.Requests),
        Interlocked.Read(ref v.Front.Counters.TotalConnections),
        Interlocked.Read(ref v.Front.Counters.CurrentClientConnections),
        Interlocked.Read(ref v.Counters.DefaultHits),
        Interlocked.Read(ref v.Counters.Unserved),
        Interlocked.Read(ref v.Counters.Undefined),
        [.. v.Table.Entries.Select((e, i) => new CsPolicyHits(e.Policy, e.Priority, e.Target, Interlocked.Read(ref v.Hits[i].Value)))]))]);

    public IQueryResult PolicyStats(CommandContext ctx, ParsedCommand c)
    {
        var name = c.MaybeRef<string>("policyName");
        var policies = ctx.Config.CsPolicies.Where(p => name is null || p.Name == name).ToList();
        if (name is not null && policies.Count == 0)
        {
            throw c.Error("policyName", $"no cs policy named '{name}'");
        }

        var bound = source.Current.Values.SelectMany(v => v.Table.Entries.Select((e, i) => (Vserver: v.Name, e.Policy, Hits: Interlocked.Read(ref v.Hits[i].Value)))).ToList();
        return new CsPolicyStats([.. policies.Select(p =>
        {
            var mine = bound.Where(b => b.Policy == p.Name).ToList();
            return new CsPolicyStat(p.Name, mine.Sum(b => b.Hits), [.. mine.Select(b => new CsPolicyVserverHits(b.Vserver, b.Hits))]);
        })]);
    }

    private List<CsVserverRuntime> Select(ParsedCommand c)
    {
        var all = source.Current;
        var name = c.MaybeRef<string>("name");
        if (name is null)
        {
            return [.. all.Values.OrderBy(v => v.Name, StringComparer.Ordinal)];
        }

        return all.TryGetValue(name, out var one) ? [one] : throw c.Error("name", $"no cs vserver named '{name}'");
    }

    private CsVserverView View(CsVserverRuntime v) => new(
        v.Name,
        ServiceTypes.Words[v.Config.Type],
        $"{v.Config.Address}:{v.Config.Port}",
        StateOf(v),
        listeners.StatusOf(v.Name),
        v.Config.DefaultLbVserver,
        v.Config.StateUpdate,
        v.Config.Comment,
        [.. v.Table.Entries.Select(e => new CsBoundPolicy(e.Policy, e.Priority, e.Rule.Source, e.Target, Words(e.Next)))]);

    /// <summary>
    /// UP while listening; with <c>-stateupdate ENABLED</c> only while a target lb vserver (a policy's or the
    /// default) is UP, as NetScaler reports it.
    /// </summary>
    private string StateOf(CsVserverRuntime v)
    {
        if (!v.Config.Enabled)
        {
            return "OUT OF SERVICE";
        }

        if (v.Front.ListenFailure is not null)
        {
            return "DOWN";
        }

        if (!v.Config.StateUpdate)
        {
            return "UP";
        }

        var model = runtime.Current;
        var targets = v.Table.Entries.Select(e => e.Target).Append(v.Config.DefaultLbVserver).OfType<string>();
        return targets.Any(t => model.Vservers.TryGetValue(t, out var lb) && lb.HasAvailableMember) ? "UP" : "DOWN";
    }

    private static string Words(long? next) => next switch { null => "END", -1 => "NEXT", var n => n.Value.ToString(System.Globalization.CultureInfo.InvariantCulture) };
}

public sealed record CsBoundPolicy(string Policy, long Priority, string Rule, string Target, string Goto);

public sealed record CsVserverView(string Name, string Type, string Address, string State, string Listener, string? DefaultLbVserver, bool StateUpdate,
    string? Comment, IReadOnlyList<CsBoundPolicy> Policies);

public sealed record CsVserverList(IReadOnlyList<CsVserverView> Vservers) : IQueryResult
{
    public string ToText()
    {
        var sb = new StringBuilder();
        foreach (var v in Vservers)
        {
            sb.Append($"{v.Name} ({v.Address}) - {v.Type}\tState: {v.State}\n");
            sb.Append($"\tListener: {v.Listener}\n");
            sb.Append($"\tDefault LB vserver: {v.DefaultLbVserver ?? "-"}\tState update: {(v.StateUpdate ? "ENABLED" : "DISABLED")}\n");
            if (v.Comment is not null)
            {
                sb.Append($"\tComment: {v.Comment}\n");
            }

            foreach (var p in v.Policies)
            {
                sb.Append($"\t{p.Priority}\t{p.Policy}\t-> {p.Target}\tGoto: {p.Goto}\n\t\tRule: {p.Rule}\n");
            }
        }

        return sb.Length == 0 ? "no cs vservers\n" : sb.ToString();
    }
}

public sealed record CsPolicyHits(string Policy, long Priority, string Target, long Hits);

public sealed record CsPolicyVserverHits(string Vserver, long Hits);

public sealed record CsPolicyStat(string Name, long Hits, IReadOnlyList<CsPolicyVserverHits> Vservers);

public sealed record CsPolicyStats(IReadOnlyList<CsPolicyStat> Policies) : IQueryResult
{
    public string ToText() => string.Concat(Policies.Select(p =>
        $"{p.Name}\tHits: {p.Hits}\n" + string.Concat(p.Vservers.Select(v => $"\t{v.Vserver}\t{v.Hits}\n"))));
}

public sealed record CsVserverStat(string Name, string State, long Requests, long Connections, long CurrentConnections, long DefaultHits, long Unserved,
    long Undefined, IReadOnlyList<CsPolicyHits> Policies);

public sealed record CsVserverStats(IReadOnlyList<CsVserverStat> Vservers) : IQueryResult
{
    public string ToText()
    {
        var sb = new StringBuilder();
        foreach (var v in Vservers)
        {
            sb.Append($"{v.Name}\tState: {v.State}\n");
            sb.Append($"\tRequests: {v.Requests}\tConnections: {v.Connections} ({v.CurrentConnections} open)\n");
            sb.Append($"\tDefault hits: {v.DefaultHits}\tUnserved (503): {v.Unserved}\tUndefined rules: {v.Undefined}\n");
            foreach (var p in v.Policies)
            {
                sb.Append($"\t{p.Priority}\t{p.Policy}\t-> {p.Target}\tHits: {p.Hits}\n");
            }
        }

        return sb.Length == 0 ? "no cs vservers\n" : sb.ToString();
    }
}

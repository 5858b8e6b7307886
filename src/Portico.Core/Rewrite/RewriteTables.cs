using System.Collections.Frozen;
using Portico.Configuration;
using Portico.Policies;
using Portico.Policies.Expressions;

namespace Portico.Rewrite;

/// <summary>
/// Every rewrite bank of one config generation, for requests and for responses: the global override bank, each
/// vserver's (the cs vserver's, then the lb vserver's), the global default bank.
/// </summary>
public sealed class RewriteTables
{
    public static readonly RewriteTables Empty = new(Side.None, Side.None);

    private readonly Side _request;
    private readonly Side _response;

    private RewriteTables(Side request, Side response)
    {
        _request = request;
        _response = response;
    }

    public bool IsEmpty => _request.IsEmpty && _response.IsEmpty;

    public bool RewritesRequests => !_request.IsEmpty;

    public bool RewritesResponses => !_response.IsEmpty;

    /// <summary>The request's edits (null: none) for a request that arrived at <paramref name="listener"/> and is served by <paramref name="vserver"/>.</summary>
    public RewriteVerdict Request(IPolicyRequest request, string listener, string vserver, out HeadEdits? edits) => _request.Collect(request, listener, vserver, out edits);

    public RewriteVerdict Response(IPolicyRequest exchange, string listener, string vserver, out HeadEdits? edits) => _response.Collect(exchange, listener, vserver, out edits);

    /// <summary>A binding acts on the response: <c>-type RESPONSE</c>, or a global RES_ bank.</summary>
    public static bool IsResponse(PolicyBinding b) => b.Type?.ToUpperInvariant() is "RESPONSE" or "RES_OVERRIDE" or "RES_DEFAULT";

    internal static RewriteTables Compile(RunningConfig config, ExpressionContext context, Policies.PolicyCounters counters)
    {
        var policies = config.RewritePolicies.ToDictionary(p => p.Name, StringComparer.Ordinal);
        var mine = config.PolicyBindings.Where(b => policies.ContainsKey(b.Policy)).ToList();
        if (mine.Count == 0)
        {
            return Empty;
        }

        var actions = config.RewriteActions.ToDictionary(a => a.Name, StringComparer.Ordinal);
        RewriteBank? Build(IEnumerable<PolicyBinding> bindings)
        {
            var entries = bindings.OrderBy(b => b.Priority).Select(b =>
            {
                var p = policies[b.Policy];
                return new RewriteBank.Entry(p.Name, b.Priority, ExpressionCompiler.CompileRule(p.Rule, context), CompiledRewrite.Of(p.Action, actions, context),
                    CompiledRewrite.Of(p.UndefAction ?? "NOREWRITE", actions, context), PolicyBinds.Next(b.Goto), counters.Of(p.Name));
            }).ToArray();
            return entries.Length == 0 ? null : new RewriteBank(entries);
        }

        Side SideOf(bool response, string over, string fallback)
        {
            var side = mine.Where(b => IsResponse(b) == response).ToList();
            return new Side(
                Build(side.Where(b => b.Point.IsGlobal && string.Equals(b.Type, over, StringComparison.OrdinalIgnoreCase))),
                side.Where(b => !b.Point.IsGlobal).GroupBy(b => b.Point.Name!, StringComparer.Ordinal).ToFrozenDictionary(g => g.Key, g => Build(g)!, StringComparer.Ordinal),
                Build(side.Where(b => b.Point.IsGlobal && (b.Type is null ? !response : string.Equals(b.Type, fallback, StringComparison.OrdinalIgnoreCase)))));
        }

        return new RewriteTables(SideOf(false, "REQ_OVERRIDE", "REQ_DEFAULT"), SideOf(true, "RES_OVERRIDE", "RES_DEFAULT"));
    }

    private sealed record Side(RewriteBank? Override, FrozenDictionary<string, RewriteBank> Vservers, RewriteBank? Default)
    {
        public static readonly Side None = new(null, FrozenDictionary<string, RewriteBank>.Empty, null);

        public bool IsEmpty => Override is null && Default is null && Vservers.Count == 0;

        public RewriteVerdict Collect(IPolicyRequest r, string listener, string vserver, out HeadEdits? edits)
        {
            edits = null;
            if (IsEmpty)
            {
                return RewriteVerdict.Continue;
            }

            var verdict = Override?.Collect(r, ref edits) ?? RewriteVerdict.Continue;
            if (verdict == RewriteVerdict.Continue && listener != vserver && Vservers.GetValueOrDefault(listener) is { } front)
            {
                verdict = front.Collect(r, ref edits);
            }

            if (verdict == RewriteVerdict.Continue && Vservers.GetValueOrDefault(vserver) is { } bank)
            {
                verdict = bank.Collect(r, ref edits);
            }

            return verdict == RewriteVerdict.Continue && Default is { } fallback ? fallback.Collect(r, ref edits) : verdict;
        }
    }
}

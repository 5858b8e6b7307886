using Portico.Policies.Expressions;

namespace Portico.Responder;

/// <summary>A responder action compiled with its target expression: what it answers for one request.</summary>
internal sealed class CompiledAction
{
    private readonly Func<IPolicyRequest, ResponderDecision?> _run;

    private CompiledAction(string name, Func<IPolicyRequest, ResponderDecision?> run)
    {
        Name = name;
        _run = run;
    }

    public string Name { get; }

    public static readonly CompiledAction Noop = new("NOOP", _ => null);

    public static readonly CompiledAction DropConnection = new("DROP", _ => ResponderDecision.Drop);

    public static readonly CompiledAction ResetConnection = new("RESET", _ => ResponderDecision.Reset);

    /// <summary>The decision, or null for NOOP (evaluation goes on).</summary>
    public ResponderDecision? Run(IPolicyRequest request) => _run(request);

    public static CompiledAction Of(string name, IReadOnlyDictionary<string, ResponderAction> actions, IReadOnlyDictionary<string, ResponderHtmlPage> pages,
        ExpressionContext context)
    {
        switch (name.ToUpperInvariant())
        {
            case "NOOP": return Noop;
            case "DROP": return DropConnection;
            case "RESET": return ResetConnection;
        }

        var a = actions[name];
        switch (a.Type)
        {
            case ResponderActionType.Redirect:
                var location = ExpressionCompiler.Compile(a.Target!, context).Text;
                var status = a.StatusCode ?? 302;
                return new(a.Name, r => new ResponderDecision(ResponderVerdict.Respond, status, a.ReasonPhrase, Location: location(r)));
            case ResponderActionType.RespondWith:
                var text = ExpressionCompiler.Compile(a.Target!, context).Text;
                return new(a.Name, r => RawResponse.Decide(text(r), a.StatusCode, a.ReasonPhrase));
            case ResponderActionType.RespondWithHtmlPage:
                var page = pages[a.HtmlPage!].Content;
                var pageStatus = a.StatusCode ?? 200;
                var decision = new ResponderDecision(ResponderVerdict.Respond, pageStatus, a.ReasonPhrase, Body: page, ContentType: "text/html; charset=utf-8");
                return new(a.Name, _ => decision);
            default:
                return new(a.Name, _ => null);
        }
    }
}

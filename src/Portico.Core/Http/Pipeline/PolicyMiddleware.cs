using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Portico.Responder;
using Portico.Rewrite;

namespace Portico.Http.Pipeline;

/// <summary>
/// The policies of an HTTP/2 request, in NetScaler's order as the HTTP/1.1 engine runs them: the responder where the
/// request arrived (global override, the vserver's bank, the default bank when no cs vserver follows), the cs table
/// choosing the lb vserver, the responder of that lb vserver and the default bank, then rewrite's request banks
/// (their edits are applied as the request is forwarded, <see cref="Transforms.RewriteTransforms"/>). It runs before
/// routing, since routing picks the YARP route of the lb vserver the switch chose. The banks, tables and counters
/// are the runtime's own: a policy hit counts the same whichever protocol the client spoke.
/// </summary>
internal sealed class PolicyMiddleware(ResponderRuntime responder, RewriteRuntime rewrite)
{
    /// <summary>RST_STREAM's CANCEL (RFC 9113 section 7): RESET ends the stream; the connection's other streams go on.</summary>
    public const int ResetCode = 0x8;

    public Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var state = context.Features.Get<HttpRequestState>()!;
        var responders = responder.Current;
        var rewrites = rewrite.Current;

        // Nothing bound and no switching: the request goes on as before, at the cost of these three tests.
        if (responders.IsEmpty && rewrites.IsEmpty && state.Vserver.Switch is null)
        {
            return next(context);
        }

        return RunAsync(context, next, state, responders, rewrites);
    }

    private static Task RunAsync(HttpContext context, RequestDelegate next, HttpRequestState state, ResponderTables responders, RewriteTables rewrites)
    {
        var vserver = state.Vserver;
        var request = state.Policy = new Http2PolicyRequest(context, state.Connection);
        if (!responders.IsEmpty && responders.Arrive(request, vserver.Name, last: vserver.Switch is null) is { Verdict: not ResponderVerdict.Continue } arrived)
        {
            return RespondAsync(context, vserver, arrived);
        }

        if (vserver.Switch is { } contentSwitch)
        {
            if (contentSwitch.Route(request) is not { } target)
            {
                Interlocked.Increment(ref vserver.Runtime.Counters.Errors503);
                return ErrorPages.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, vserver.Name);
            }

            state.Vserver = vserver = target;
            Interlocked.Increment(ref vserver.Runtime.Counters.Requests);
            if (!responders.IsEmpty && responders.Switched(request, vserver.Name) is { Verdict: not ResponderVerdict.Continue } switched)
            {
                return RespondAsync(context, vserver, switched);
            }
        }

        if (rewrites.RewritesRequests)
        {
            switch (rewrites.Request(request, state.Listener.Name, vserver.Name, out var edits))
            {
                case RewriteVerdict.Reset:
                    Reset(context);
                    return Task.CompletedTask;
                case RewriteVerdict.Drop:
                    context.Abort();
                    return Task.CompletedTask;
            }

            state.RequestEdits = edits;
        }

        return next(context);
    }

    /// <summary>
    /// RESET and DROP end the request's stream only: on HTTP/2 a connection carries other requests of the same
    /// client, which NetScaler's per-request verdict is not about. DROP aborts the stream (Kestrel's INTERNAL_ERROR),
    /// RESET resets it with CANCEL.
    /// </summary>
    public static void Reset(HttpContext context)
    {
        if (context.Features.Get<IHttpResetFeature>() is { } reset)
        {
            reset.Reset(ResetCode);
        }
        else
        {
            context.Abort();
        }
    }

    /// <summary>The responder's answer: the member is never asked. Framing is Kestrel's; the values are field-safe.</summary>
    private static Task RespondAsync(HttpContext context, HttpVserver vserver, ResponderDecision decision)
    {
        Interlocked.Increment(ref vserver.Runtime.Counters.Responded);
        switch (decision.Verdict)
        {
            case ResponderVerdict.Drop:
                context.Abort();
                return Task.CompletedTask;
            case ResponderVerdict.Reset:
                Reset(context);
                return Task.CompletedTask;
        }

        var response = context.Response;
        response.StatusCode = decision.Status;
        if (decision.Location is { } location)
        {
            response.Headers.Location = FieldText.Safe(location);
        }

        foreach (var (name, value) in decision.Fields)
        {
            // HTTP/2 has no connection-specific fields (RFC 9113 section 8.2.2): a respondwith target's are left out.
            if (!ConnectionSpecific(name))
            {
                response.Headers.Append(name, FieldText.Safe(value));
            }
        }

        if (decision.ContentType is { } type)
        {
            response.ContentType = FieldText.Safe(type);
        }

        var body = Encoding.UTF8.GetBytes(decision.Body);
        response.ContentLength = body.Length;
        response.Headers.CacheControl = "no-store";
        return HttpMethods.IsHead(context.Request.Method) ? Task.CompletedTask : response.Body.WriteAsync(body).AsTask();
    }

    private static bool ConnectionSpecific(string name) =>
        name.Equals("Connection", StringComparison.OrdinalIgnoreCase) || name.Equals("Keep-Alive", StringComparison.OrdinalIgnoreCase)
        || name.Equals("Proxy-Connection", StringComparison.OrdinalIgnoreCase) || name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase)
        || name.Equals("Upgrade", StringComparison.OrdinalIgnoreCase);
}

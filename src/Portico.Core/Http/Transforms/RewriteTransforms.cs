using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using Portico.Http.Pipeline;
using Portico.Rewrite;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Transforms;

namespace Portico.Http.Transforms;

/// <summary>
/// Rewrite on the HTTP/2 path, as YARP transforms: the request's edits (computed by <see cref="PolicyMiddleware"/>
/// once the lb vserver is known) change the proxied request; the response banks run when the server's head has
/// arrived, before it is sent to the client. <see cref="HeadEdits"/> does the editing on both paths; this only moves
/// the fields an edit names in and out of it, so fields no edit names keep their place and form.
/// </summary>
internal sealed class RewriteTransforms(RewriteRuntime rewrite)
{
    public static ValueTask OnRequest(RequestTransformContext context)
    {
        if (context.HttpContext.Features.Get<HttpRequestState>() is not { RequestEdits: { } edits } state)
        {
            return ValueTask.CompletedTask;
        }

        var names = Named(edits);
        var request = context.HttpContext.Request;
        var fields = Fields(request.Headers, names);
        string? target = Touches(edits, TargetPart.Url, TargetPart.Path, TargetPart.Query) ? state.Policy!.Target : null;
        edits.Apply(ref target, fields);
        if (target is not null)
        {
            var q = target.IndexOf('?', StringComparison.Ordinal);
            var path = PathString.FromUriComponent(q < 0 ? target : target[..q]);
            var query = q < 0 || q == target.Length - 1 ? QueryString.Empty : new QueryString(target[q..]);
            context.ProxyRequest.RequestUri = RequestUtilities.MakeDestinationAddress(context.DestinationPrefix, path, query);
        }

        var headers = context.ProxyRequest.Headers;
        foreach (var name in names)
        {
            headers.Remove(name);
            context.ProxyRequest.Content?.Headers.Remove(name);
        }

        foreach (var (name, value) in fields)
        {
            if (name.Equals("Host", StringComparison.OrdinalIgnoreCase))
            {
                headers.Host = value;
            }
            else if (!headers.TryAddWithoutValidation(name, value))
            {
                // Content-Type and the other content fields live on the content.
                context.ProxyRequest.Content?.Headers.TryAddWithoutValidation(name, value);
            }
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask OnResponse(ResponseTransformContext context)
    {
        var tables = rewrite.Current;
        if (!tables.RewritesResponses || context.ProxyResponse is null || context.HttpContext.Features.Get<HttpRequestState>() is not { } state)
        {
            return ValueTask.CompletedTask;
        }

        var exchange = state.Policy ??= new Http2PolicyRequest(context.HttpContext, state.Connection);
        exchange.Responding = (int)context.ProxyResponse.StatusCode;
        RewriteVerdict verdict;
        HeadEdits? edits;
        try
        {
            verdict = tables.Response(exchange, state.Listener.Name, state.Vserver.Name, out edits);
        }
        finally
        {
            exchange.Responding = 0;
        }

        if (verdict != RewriteVerdict.Continue)
        {
            // Nothing of the response reaches the client: its stream ends as a request-side verdict would end it.
            context.SuppressResponseBody = true;
            if (verdict == RewriteVerdict.Reset)
            {
                PolicyMiddleware.Reset(context.HttpContext);
            }
            else
            {
                context.HttpContext.Abort();
            }

            return ValueTask.CompletedTask;
        }

        if (edits is null)
        {
            return ValueTask.CompletedTask;
        }

        var names = Named(edits);
        var headers = context.HttpContext.Response.Headers;
        var fields = Fields(headers, names);
        string? none = null;
        edits.Apply(ref none, fields);
        foreach (var name in names)
        {
            headers.Remove(name);
        }

        foreach (var (name, value) in fields)
        {
            headers.Append(name, value);
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>The field names the edits touch (the host edits touch Host).</summary>
    private static HashSet<string> Named(HeadEdits edits)
    {
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var e in edits.Edits)
        {
            if (e.Part is TargetPart.Header or TargetPart.Host && e.Header is { } name)
            {
                names.Add(name);
            }
        }

        return names;
    }

    private static bool Touches(HeadEdits edits, params TargetPart[] parts) => edits.Edits.Any(e => parts.Contains(e.Part));

    /// <summary>The fields of those names in the order they came, one entry per field.</summary>
    private static List<(string Name, string Value)> Fields(IHeaderDictionary headers, HashSet<string> names)
    {
        var fields = new List<(string Name, string Value)>();
        foreach (var name in names)
        {
            if (headers.TryGetValue(name, out var values))
            {
                foreach (var value in (StringValues)values)
                {
                    fields.Add((name, value ?? ""));
                }
            }
        }

        return fields;
    }
}

using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Portico.Balancing;
using Portico.LoadBalancing;
using Portico.Runtime;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Model;

namespace Portico.Http.Pipeline;

/// <summary>
/// Portico's balancing inside YARP's proxy pipeline, for HTTP/2 clients: <see cref="Requests.RequestSelection"/>, the
/// code the HTTP/1.1 engine runs (persistence, then the vserver's method with backup vserver, spillover and
/// <c>-maxClient</c>). The chosen member is the only destination left for YARP's load
/// balancing step, and stays reserved (LEASTCONNECTION counts it in flight) until the response ends.
/// It is a middleware rather than an <c>ILoadBalancingPolicy</c> because a policy has no hook at the end
/// of the request to release the member, and a 503 must be written before YARP's forwarder runs.
/// </summary>
internal sealed class SelectionMiddleware(Requests.RequestSelection selection, Upstream.SourcePortReporter sourcePorts)
{
    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var state = context.Features.Get<HttpRequestState>()!;
        var vserver = state.Vserver;
        var chosenFirst = Balance(context, state, avoid: null);
        if (chosenFirst is not { } chosen)
        {
            Interlocked.Increment(ref vserver.Runtime.Counters.Errors503);
            await ErrorPages.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, vserver.Name).ConfigureAwait(false);
            return;
        }

        await ForwardAsync(context, state, chosen, next).ConfigureAwait(false);
        var error = context.Features.Get<IForwarderErrorFeature>();
        NoteSourceProblem(state, error);
        if (error is not null && IsRetryable(context, error))
        {
            // The member could not even be connected to, so the request never reached it: an idempotent
            // request goes once to another member instead of failing (NetScaler resets; HAProxy redispatches).
            var failed = state.Member;
            if (Balance(context, state, failed) is { } second && second.Member.Service != failed)
            {
                Interlocked.Increment(ref vserver.Runtime.Counters.Retries);
                context.Features.Set<IForwarderErrorFeature>(null);
                context.Response.StatusCode = StatusCodes.Status200OK;
                await ForwardAsync(context, state, second, next).ConfigureAwait(false);
                error = context.Features.Get<IForwarderErrorFeature>();
                NoteSourceProblem(state, error);
            }
        }

        if (error is not null)
        {
            var outcome = ForwardOutcome.Of(context, error);
            if (outcome.Fault == ForwardFault.Client)
            {
                // The client went away or sent a broken body: its own counter, never a 502 an alarm would see.
                Interlocked.Increment(ref vserver.Runtime.Counters.ClientAborts);
                return;
            }

            if (outcome.Fault == ForwardFault.Member && state.Member is { } failed)
            {
                // What the client saw fail counts against the member, as a run of failed connects does.
                failed.Health.Passive.ReportFailure(outcome.Reason!);
            }

            await OnErrorAsync(context, vserver, error).ConfigureAwait(false);
        }
        else if (state.Member is { } member)
        {
            // Passive health sees live traffic: a run of 5xx answers counts like a run of failed connects.
            if (context.Response.StatusCode >= 500)
            {
                member.Health.Passive.ReportFailure($"L7STS {context.Response.StatusCode}");
            }
            else
            {
                member.Health.Passive.ReportSuccess();
            }
        }
    }

    /// <summary>Portico's own limit (no source port or address), counted on the vserver the request came to.</summary>
    private void NoteSourceProblem(HttpRequestState state, IForwarderErrorFeature? error)
    {
        for (var e = error?.Exception; e is not null; e = e.InnerException)
        {
            if (e is Upstream.SourceAddressException problem && state.Member is { } member)
            {
                if (problem.Problem == Upstream.SourceProblem.PortsExhausted)
                {
                    Interlocked.Increment(ref state.Vserver.Runtime.Counters.SourcePortsExhausted);
                }

                sourcePorts.Refused(state.Vserver.Name, member, problem);
                return;
            }
        }
    }

    private static bool IsRetryable(HttpContext context, IForwarderErrorFeature error) =>
        !context.Response.HasStarted
        && error.Error == ForwarderError.Request
        && error.Exception is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError }
        && HttpMethods.IsGet(context.Request.Method) | HttpMethods.IsHead(context.Request.Method) | HttpMethods.IsOptions(context.Request.Method)
            | HttpMethods.IsPut(context.Request.Method) | HttpMethods.IsDelete(context.Request.Method) | HttpMethods.IsTrace(context.Request.Method)
        && context.Request.ContentLength is null or 0 && !context.Request.Headers.ContainsKey("Transfer-Encoding");

    private async Task ForwardAsync(HttpContext context, HttpRequestState state, Selection chosen, RequestDelegate next)
    {
        var vserver = state.Vserver;
        var member = chosen.Member.Service;
        try
        {
            // Every member of the vserver's chain has a destination: both come from the same runtime model.
            var destination = vserver.Members[member];
            Interlocked.Increment(ref member.Counters.Requests);
            if (chosen.ServedBy != vserver.Runtime)
            {
                Interlocked.Increment(ref chosen.ServedBy.Counters.Requests);
            }

            Remember(context, state, member);
            state.Member = member;
            context.Features.Get<IReverseProxyFeature>()!.AvailableDestinations = destination;
            state.SentAt = Stopwatch.GetTimestamp();
            await next(context).ConfigureAwait(false);
        }
        finally
        {
            member.Release();
        }
    }

    private static string? Url(HttpContext context, HttpRequestState state) =>
        state.Vserver.NeedsUrl ? context.Request.Path.Value + context.Request.QueryString.Value : null;

    private Selection? Balance(HttpContext context, HttpRequestState state, ServiceRuntime? avoid)
    {
        var connection = state.Connection;
        return avoid is null
            ? selection.Choose(state.Vserver, connection.Remote, connection.Local, Url(context, state), Cookie(context, state))
            : Requests.RequestSelection.ChooseAvoiding(state.Vserver, connection.Remote, connection.Local, Url(context, state), avoid);
    }

    private void Remember(HttpContext context, HttpRequestState state, ServiceRuntime member)
    {
        if (selection.Remember(state.Vserver, state.Connection.Remote, Cookie(context, state), member) is { } cookie)
        {
            state.CookieToSet = cookie;
        }
    }

    /// <summary>The persistence cookie, read only for a policy that uses one.</summary>
    private string? Cookie(HttpContext context, HttpRequestState state) =>
        selection.UsesCookie(state.Vserver) ? context.Request.Cookies[state.Vserver.CookieName] : null;

    private static Task OnErrorAsync(HttpContext context, HttpVserver vserver, IForwarderErrorFeature error)
    {
        var status = context.Response.StatusCode;
        if (error.Error is ForwarderError.RequestTimedOut or ForwarderError.UpgradeActivityTimeout)
        {
            status = StatusCodes.Status504GatewayTimeout;
        }

        switch (status)
        {
            case StatusCodes.Status504GatewayTimeout:
                Interlocked.Increment(ref vserver.Runtime.Counters.Errors504);
                break;
            case StatusCodes.Status502BadGateway:
                Interlocked.Increment(ref vserver.Runtime.Counters.Errors502);
                break;
            default:
                if (context.Response.HasStarted)
                {
                    // The member broke a response it had started: the client got a truncated answer.
                    Interlocked.Increment(ref vserver.Runtime.Counters.ServerAborts);
                }

                return Task.CompletedTask;
        }

        return context.Response.HasStarted ? Task.CompletedTask : ErrorPages.WriteAsync(context, status, vserver.Name);
    }
}

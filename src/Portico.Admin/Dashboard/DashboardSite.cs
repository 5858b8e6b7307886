using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Portico.Configuration.Commands;

namespace Portico.Admin.Dashboard;

/// <summary>
/// The web dashboard on the admin HTTP listener, under <c>/gui/</c>: embedded pages behind NITRO's login, and the
/// small JSON API they read (<c>/gui/api/...</c>). Every request is checked on its raw target first
/// (<see cref="DashboardPath"/>); only the login page, its script and the style sheet answer without a session.
/// </summary>
public sealed class DashboardSite
{
    private readonly DashboardAssets assets;
    private readonly DashboardLogin login;
    private readonly DashboardState state;
    private readonly DashboardHistory history;
    private readonly DashboardBatch batch;
    private readonly DashboardQueries queries;
    private readonly DashboardCaptures captures;

    internal DashboardSite(DashboardAssets assets, DashboardLogin login, DashboardState state, DashboardHistory history,
        DashboardBatch batch, DashboardQueries queries, DashboardCaptures captures)
    {
        (this.assets, this.login, this.state, this.history, this.batch, this.queries, this.captures) = (assets, login, state, history, batch, queries, captures);
    }

    public const string LoginPage = "login.html";

    private static readonly HashSet<string> Public = new(StringComparer.Ordinal) { LoginPage, "login.js", "style.css" };

    /// <summary>Maps <c>/gui</c> and everything under it (the optional catch-all matches <c>/gui</c> itself).</summary>
    public void Map(WebApplication app) => app.Map("/gui/{**rest}", HandleAsync);

    private async Task HandleAsync(HttpContext ctx)
    {
        DashboardHeaders.Apply(ctx.Response);
        var raw = ctx.Features.Get<IHttpRequestFeature>()?.RawTarget ?? ctx.Request.Path.Value ?? "";
        if (raw.Split('?', 2)[0] == "/gui")
        {
            ctx.Response.Redirect(DashboardPath.Prefix);
            return;
        }

        if (DashboardPath.Read(raw, out var refusal) is not { } path)
        {
            await TextAsync(ctx, 400, $"Bad request: {refusal}\n").ConfigureAwait(false);
            return;
        }

        if (path.StartsWith("api/", StringComparison.Ordinal))
        {
            await ApiAsync(ctx, path["api/".Length..]).ConfigureAwait(false);
            return;
        }

        if (!HttpMethods.IsGet(ctx.Request.Method) && !HttpMethods.IsHead(ctx.Request.Method))
        {
            await TextAsync(ctx, 405, "Method not allowed\n").ConfigureAwait(false);
            return;
        }

        var name = path.Length == 0 ? "index.html" : path;
        if (!assets.TryGet(name, out var bytes, out var type))
        {
            await TextAsync(ctx, 404, "Not found\n").ConfigureAwait(false);
            return;
        }

        if (!Public.Contains(name) && login.Find(ctx) is null)
        {
            ctx.Response.Redirect(DashboardPath.Prefix + LoginPage);
            return;
        }

        ctx.Response.ContentType = type;
        ctx.Response.ContentLength = bytes.Length;
        if (HttpMethods.IsGet(ctx.Request.Method))
        {
            await ctx.Response.Body.WriteAsync(bytes, ctx.RequestAborted).ConfigureAwait(false);
        }
    }

    private async Task ApiAsync(HttpContext ctx, string endpoint)
    {
        if (login.Find(ctx) is not { } user)
        {
            await JsonAsync(ctx, 401, Error("Not logged in, or the session expired: log in again")).ConfigureAwait(false);
            return;
        }

        var method = ctx.Request.Method;
        var (status, body) = (endpoint, method) switch
        {
            ("state", "GET") => (200, await state.ReadAsync(user, ctx.RequestAborted).ConfigureAwait(false)),
            ("history", "GET") => (200, history.Read()),
            ("config", "GET") => await ConfigAsync(user, ctx.RequestAborted).ConfigureAwait(false),
            ("batch", "POST") when !DashboardLogin.HasCsrfToken(ctx, user) =>
                (403, Error($"The {DashboardLogin.CsrfHeader} header is missing or wrong: reload the page")),
            ("batch", "POST") => await batch.ApplyAsync(ctx, user).ConfigureAwait(false),
            _ when endpoint.StartsWith("capture/", StringComparison.Ordinal) && method == "GET" =>
                await captures.SendAsync(ctx, user, endpoint["capture/".Length..]).ConfigureAwait(false),
            ("state" or "history" or "config" or "batch", _) => (405, Error($"Method {method} is not allowed here")),
            _ => (404, Error($"No dashboard endpoint [{endpoint}]")),
        };

        if (body is not null)
        {
            await JsonAsync(ctx, status, body).ConfigureAwait(false);
        }
    }

    private async Task<(int, JsonObject)> ConfigAsync(DashboardUser user, CancellationToken ct)
    {
        const string Line = "show ns runningConfig";
        return !user.Allows(Line)
            ? (403, Error($"Not authorized to execute this command [{Line}]"))
            : await queries.RunAsync<RunningConfigText>(user, Line, ct).ConfigureAwait(false) is { } config
                ? (200, new JsonObject { ["config"] = config.Text })
                : (500, Error("The running config could not be read"));
    }

    internal static JsonObject Error(string message) => new() { ["error"] = message };

    private static async Task JsonAsync(HttpContext ctx, int status, JsonObject body)
    {
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = "application/json; charset=utf-8";
        await ctx.Response.WriteAsync(body.ToJsonString(), ctx.RequestAborted).ConfigureAwait(false);
    }

    private static async Task TextAsync(HttpContext ctx, int status, string text)
    {
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = "text/plain; charset=utf-8";
        await ctx.Response.WriteAsync(text, ctx.RequestAborted).ConfigureAwait(false);
    }
}

using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Portico.Audit;
using Portico.Engine;
using Portico.SystemUsers;

namespace Portico.Admin.Nitro;

/// <summary>
/// NITRO on the admin HTTP listener: <c>/nitro/v1/config/TYPE[/NAME]</c> and <c>/nitro/v1/stat/TYPE[/NAME]</c>.
/// Every change becomes the command lines the CLI would send and runs through the same store, one batch per
/// request (all or nothing), judged by the user's command policy line by line and written to the audit trail.
/// Nothing here answers before a first user exists, nor without a session but the login.
/// </summary>
public sealed class NitroApi(PorticoEngine engine, NitroAuthentication authentication, NitroSessions sessions, SystemUserAuthenticator users,
    NitroCommandLine lines, NitroConfigReader reader, AuditLog audit)
{
    public void Map(WebApplication app) => app.Map("/nitro/{**rest}", HandleAsync);

    private async Task HandleAsync(HttpContext ctx)
    {
        JsonObject answer;
        var status = 200;
        try
        {
            var request = NitroRequest.Parse(ctx);
            if (!users.HasUsers)
            {
                throw NitroException.NoUserYet();
            }

            (status, answer) = request.Type switch
            {
                "login" when ctx.Request.Method == "POST" => await LoginAsync(ctx).ConfigureAwait(false),
                "logout" when ctx.Request.Method == "POST" => Logout(ctx),
                _ => await ServeAsync(ctx, request, authentication.Authenticate(ctx)).ConfigureAwait(false),
            };
        }
        catch (NitroException e)
        {
            (status, answer) = (e.Status, e.ToJson());
        }

        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = "application/json; charset=utf-8";
        ctx.Response.Headers.CacheControl = "no-store";
        await ctx.Response.WriteAsync(answer.ToJsonString(), ctx.RequestAborted).ConfigureAwait(false);
    }

    private async Task<(int, JsonObject)> LoginAsync(HttpContext ctx)
    {
        var body = await NitroRequest.ReadBodyAsync(ctx.Request, ctx.RequestAborted).ConfigureAwait(false);
        if (body["login"] is not JsonObject login)
        {
            throw NitroException.MissingArgument("login");
        }

        var name = Scalar(login, "username") ?? throw NitroException.MissingArgument("username");
        var password = Scalar(login, "password") ?? throw NitroException.MissingArgument("password");
        var timeout = Scalar(login, "timeout") is { } t ? int.TryParse(t, out var s) ? s : throw NitroException.InvalidValue("timeout", t) : NitroSessions.DefaultTimeoutSeconds;
        var address = NitroAuthentication.Address(ctx);

        // A token the client brought is dropped, never promoted: the session is new, its token too.
        if (NitroAuthentication.Token(ctx.Request) is { } old)
        {
            sessions.Close(old);
        }

        var user = authentication.Verify(name, password, address);
        var (token, session) = sessions.Open(user.Name, address, timeout);
        ctx.Response.Cookies.Append(NitroAuthentication.CookieName, token, new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            Secure = ctx.Request.IsHttps,
            Path = "/",
        });
        return (201, Done(new JsonObject { ["sessionid"] = token, ["csrftoken"] = session.CsrfToken, ["timeout"] = (int)session.IdleTimeout.TotalSeconds }));
    }

    private (int, JsonObject) Logout(HttpContext ctx)
    {
        if (NitroAuthentication.Token(ctx.Request) is not { } token || sessions.Find(token) is null)
        {
            throw NitroException.SessionExpired();
        }

        sessions.Close(token);
        ctx.Response.Cookies.Delete(NitroAuthentication.CookieName);
        return (201, Done());
    }

    private async Task<(int, JsonObject)> ServeAsync(HttpContext ctx, NitroRequest request, SystemUser user)
    {
        var action = ctx.Request.Query["action"].FirstOrDefault()?.ToLowerInvariant();
        if (request.Api == "stat")
        {
            return ctx.Request.Method == "GET" ? await StatAsync(ctx, request, user).ConfigureAwait(false) : throw NitroException.BadRequest("The stat API takes GET only");
        }

        if (request.Type == "nsconfig")
        {
            return ctx.Request.Method == "POST" && action == "save"
                ? await RunAsync(ctx, user, ["save ns config"], "nsconfig", Atomic.Rollback, 200).ConfigureAwait(false)
                : throw NitroException.BadRequest("nsconfig takes POST ?action=save");
        }

        if (request.Type == "nsacls")
        {
            return ctx.Request.Method == "POST" && action == "apply"
                ? await RunAsync(ctx, user, ["apply ns acls"], "nsacls", Atomic.Rollback, 200).ConfigureAwait(false)
                : throw NitroException.BadRequest("nsacls takes POST ?action=apply");
        }

        var resource = NitroResource.All.GetValueOrDefault(request.Type) ?? throw NitroException.NoSuchResource(request.Type);
        switch (ctx.Request.Method)
        {
            case "GET":
                Authorize(user, $"show {resource.CliObject}");
                return NitroQuery.Answer(resource, reader.Read(engine.Store.Current, resource), request.Name, ctx.Request.Query);
            case "DELETE":
                return await RunAsync(ctx, user, [Delete(resource, request, ctx.Request.Query["args"].FirstOrDefault())], resource.Type, Atomic.Rollback, 200).ConfigureAwait(false);
            case "POST" or "PUT":
                var body = await NitroRequest.ReadBodyAsync(ctx.Request, ctx.RequestAborted).ConfigureAwait(false);
                var objects = Objects(body, resource);
                var verb = (resource.IsBinding, ctx.Request.Method, action) switch
                {
                    (true, _, null) => "bind",
                    (false, "POST", null) => "add",
                    (false, "PUT", null) => "set",
                    (false, "POST", "enable" or "disable" or "rename" or "unset") => action,
                    _ => throw NitroException.BadRequest($"Invalid action [{action}] for {ctx.Request.Method} {resource.Type}"),
                };
                var commandLines = objects.Select(o => Line(verb, resource, o, request.Name)).ToList();
                var onError = ctx.Request.Headers["X-NITRO-ONERROR"].FirstOrDefault()?.ToUpperInvariant() switch
                {
                    null or "EXIT" => Atomic.Exit,
                    "CONTINUE" => Atomic.Continue,
                    "ROLLBACK" => Atomic.Rollback,
                    var other => throw NitroException.InvalidValue("X-NITRO-ONERROR", other),
                };
                return await RunAsync(ctx, user, commandLines, resource.Type, onError, verb == "add" || verb == "bind" ? 201 : 200).ConfigureAwait(false);
            default:
                throw new NitroException(405, 1, $"Method {ctx.Request.Method} is not supported");
        }
    }

    private string Line(string verb, NitroResource resource, JsonObject o, string? urlName)
    {
        if (urlName is not null && verb is "set" && o[resource.NameAttribute] is null)
        {
            o[resource.NameAttribute] = urlName;
        }

        return verb switch
        {
            "enable" or "disable" => $"{verb} {resource.CliObject} {Quote(Scalar(o, resource.NameAttribute) ?? throw NitroException.MissingArgument(resource.NameAttribute))}",
            "rename" => $"rename {resource.CliObject} {Quote(Scalar(o, resource.NameAttribute) ?? throw NitroException.MissingArgument(resource.NameAttribute))} {Quote(Scalar(o, "newname") ?? throw NitroException.MissingArgument("newname"))}",
            "unset" => Unset(resource, o),
            _ => lines.Build(verb, resource, o),
        };
    }

    private string Unset(NitroResource resource, JsonObject o)
    {
        var name = Scalar(o, resource.NameAttribute) ?? throw NitroException.MissingArgument(resource.NameAttribute);
        var options = new JsonObject();
        foreach (var (k, _) in o.Where(x => !x.Key.Equals(resource.NameAttribute, StringComparison.OrdinalIgnoreCase)).ToList())
        {
            options[k] = true;
        }

        options[resource.NameAttribute] = name;
        return lines.Build("unset", resource, options);
    }

    private string Delete(NitroResource resource, NitroRequest request, string? args)
    {
        // The name is in the path, or (as netscaler_nitro_request's delete_by_args sends it) among the args.
        var o = new JsonObject();
        if (request.Name is not null)
        {
            o[resource.NameAttribute] = request.Name;
        }

        foreach (var pair in (args ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var kv = pair.Split(':', 2);
            if (kv.Length != 2 || kv[0].Length == 0)
            {
                throw NitroException.InvalidValue("args", pair);
            }

            o[kv[0]] = Uri.UnescapeDataString(kv[1]);
        }

        if (!resource.IsBinding)
        {
            return $"rm {resource.CliObject} {Quote(Scalar(o, resource.NameAttribute) ?? throw NitroException.MissingArgument(resource.NameAttribute))}";
        }

        return lines.Build("unbind", resource, o);
    }

    private async Task<(int, JsonObject)> StatAsync(HttpContext ctx, NitroRequest request, SystemUser user)
    {
        var resource = NitroResource.All.GetValueOrDefault(request.Type) is { IsBinding: false } r ? r : throw NitroException.NoSuchResource(request.Type);
        var line = $"stat {resource.CliObject}{(request.Name is null ? "" : " " + Quote(request.Name))}";
        Authorize(user, line);
        var result = await engine.ApplyAsync(line, "nitro", ctx.RequestAborted).ConfigureAwait(false);
        if (!result.Applied || result.Results.Count == 0)
        {
            var error = result.Errors.Count > 0 ? result.Errors[0].ToString() : string.Concat(result.Output).Trim();
            throw NitroException.FromCommandError(error, request.Name ?? resource.Type);
        }

        var data = (JsonNode?)NitroStat.Shape(result.Results[0], engine.Store.Current)
            ?? JsonSerializer.SerializeToNode(result.Results[0], result.Results[0].GetType(), NitroJson.Options);
        return (200, Done(new JsonObject { [resource.Type] = data }));
    }

    private async Task<(int, JsonObject)> RunAsync(HttpContext ctx, SystemUser user, IReadOnlyList<string> commandLines, string resource, Atomic onError, int okStatus)
    {
        foreach (var l in commandLines)
        {
            Authorize(user, l);
        }

        var from = "nitro " + NitroAuthentication.Address(ctx);
        var batches = onError == Atomic.Rollback ? [string.Join('\n', commandLines)] : commandLines;
        var failures = new JsonArray();
        NitroException? first = null;
        foreach (var batch in batches)
        {
            var result = await engine.ApplyAsync(batch, "nitro", ctx.RequestAborted).ConfigureAwait(false);
            var error = result.Errors.Count > 0 ? string.Join("; ", result.Errors)
                : result.Output.FirstOrDefault(o => o.StartsWith("ERROR: ", StringComparison.Ordinal))?["ERROR: ".Length..].Trim();
            audit.RecordBatch(user.Name, from, batch, result.Applied && error is null ? null : error);
            if (error is null)
            {
                continue;
            }

            var e = NitroException.FromCommandError(error, resource);
            first ??= e;
            failures.Add(e.ToJson());
            if (onError != Atomic.Continue)
            {
                break;
            }
        }

        if (first is null)
        {
            return (okStatus, Done());
        }

        if (batches.Count == 1 || onError != Atomic.Continue)
        {
            throw first;
        }

        // CONTINUE over a bulk request: what applied stays; each failure is listed.
        return (207, new JsonObject { ["errorcode"] = 1067, ["message"] = "Not all requests succeeded", ["severity"] = "ERROR", ["response"] = failures });
    }

    private static void Authorize(SystemUser user, string line)
    {
        if (user.Policy is not { } policy || !CommandPolicies.Allows(policy, line))
        {
            throw NitroException.NotAuthorized(AuditLog.Mask(line));
        }
    }

    private static List<JsonObject> Objects(JsonObject body, NitroResource resource)
    {
        var key = body.Select(p => p.Key).FirstOrDefault(k => k.Equals(resource.Type, StringComparison.OrdinalIgnoreCase))
            ?? throw NitroException.MissingArgument(resource.Type);
        if (body.Count != 1)
        {
            throw NitroException.InvalidArgument(body.Select(p => p.Key).First(k => k != key));
        }

        return body[key] switch
        {
            JsonObject o => [o],
            JsonArray a when a.Count is > 0 and <= 10_000 => [.. a.Select(x => x as JsonObject ?? throw NitroException.InvalidValue(resource.Type, "expected an array of objects"))],
            _ => throw NitroException.InvalidValue(resource.Type, "expected an object or a non-empty array of objects"),
        };
    }

    private static string? Scalar(JsonObject o, string name) =>
        o.FirstOrDefault(p => p.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Value is JsonValue v
            ? v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : v.ToJsonString()
            : null;

    private static string Quote(string word) => word.Any(char.IsControl)
        ? throw NitroException.InvalidValue("name", "control characters are refused")
        : Portico.CommandLanguage.ConfigText.Quote(word);

    internal static JsonObject Done(JsonObject? extra = null)
    {
        var o = new JsonObject { ["errorcode"] = 0, ["message"] = "Done", ["severity"] = "NONE" };
        foreach (var (k, v) in extra?.ToList() ?? [])
        {
            extra!.Remove(k);
            o[k] = v;
        }

        return o;
    }

    private enum Atomic
    {
        Exit,
        Continue,
        Rollback,
    }
}

using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Portico.SystemUsers;

namespace Portico.Admin.Nitro;

/// <summary>
/// Who sends a NITRO request: a session token (cookie <c>NITRO_AUTH_TOKEN</c>, or the NITRO Go SDK's request
/// header literally named <c>Set-Cookie</c>), or <c>X-NITRO-USER</c>/<c>X-NITRO-PASS</c> on the request itself.
/// Failed password checks count against the client's address (<see cref="LoginLimiter"/>) and are logged.
/// </summary>
public sealed partial class NitroAuthentication(SystemUserAuthenticator users, NitroSessions sessions, LoginLimiter limiter, ILogger<NitroAuthentication> logger)
{
    public const string CookieName = "NITRO_AUTH_TOKEN";

    /// <summary>The user and their current policy; throws 444 with no or a dead session, 354 with a wrong password.</summary>
    public SystemUser Authenticate(HttpContext ctx)
    {
        var address = Address(ctx);
        if (Token(ctx.Request) is { } token)
        {
            var session = sessions.Find(token) ?? throw NitroException.SessionExpired();

            // Rights follow the config: a removed user's session ends, a changed policy applies at once.
            if (users.Find(session.User) is not { } current)
            {
                sessions.Close(token);
                throw NitroException.SessionExpired();
            }

            return current;
        }

        if (ctx.Request.Headers["X-NITRO-USER"].FirstOrDefault() is { } name)
        {
            return Verify(name, ctx.Request.Headers["X-NITRO-PASS"].FirstOrDefault() ?? "", address);
        }

        throw NitroException.SessionExpired();
    }

    /// <summary>Checks a password under the per-address limit; logs every failure with the address and name.</summary>
    public SystemUser Verify(string name, string password, string address)
    {
        if (limiter.RetryAfter(address) is > 0 and var wait)
        {
            Log.LoginRefused(logger, address, name, wait);
            throw NitroException.TooManyFailures(wait);
        }

        if (users.Verify(name, password) is { } user)
        {
            limiter.Succeeded(address);
            return user;
        }

        limiter.Failed(address);
        Log.LoginFailed(logger, address, name);
        throw NitroException.InvalidCredentials();
    }

    public static string Address(HttpContext ctx) => (ctx.Connection.RemoteIpAddress ?? IPAddress.None).ToString();

    /// <summary>The session token from the cookie, or from a request header named Set-Cookie as the Go SDK sends it.</summary>
    public static string? Token(HttpRequest request)
    {
        if (request.Cookies.TryGetValue(CookieName, out var cookie) && cookie.Length > 0)
        {
            return cookie;
        }

        foreach (var header in request.Headers["Set-Cookie"])
        {
            foreach (var part in (header ?? "").Split(';', StringSplitOptions.TrimEntries))
            {
                if (part.StartsWith(CookieName + "=", StringComparison.Ordinal))
                {
                    return part[(CookieName.Length + 1)..];
                }
            }
        }

        return null;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 320, Level = LogLevel.Warning, Message = "NITRO login failed from {Address} for user '{User}'")]
        public static partial void LoginFailed(ILogger logger, string address, string user);

        [LoggerMessage(EventId = 321, Level = LogLevel.Warning, Message = "NITRO login from {Address} for user '{User}' refused unchecked: too many failures, {Seconds} s left")]
        public static partial void LoginRefused(ILogger logger, string address, string user, int seconds);
    }
}

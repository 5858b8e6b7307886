using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Portico.Admin.Nitro;
using Portico.SystemUsers;

namespace Portico.Admin.Dashboard;

/// <summary>A logged-in dashboard user: the NITRO session (cookie <c>NITRO_AUTH_TOKEN</c>) and the user it belongs to now.</summary>
internal sealed record DashboardUser(SystemUser User, NitroSession Session)
{
    /// <summary>The user's policy allows <paramref name="line"/> (one command as typed); no bound policy allows nothing.</summary>
    public bool Allows(string line) => User.Policy is { } p && CommandPolicies.Allows(p, line);
}

/// <summary>
/// The dashboard's login is NITRO's: the login page posts to <c>/nitro/v1/config/login</c>, which sets the
/// <c>SameSite=Strict</c>, <c>HttpOnly</c> session cookie. Only the cookie is taken here (not NITRO's per-request
/// credentials), and a write must also carry the session's CSRF token in a header, which a page of another site
/// can neither read nor send.
/// </summary>
internal sealed class DashboardLogin(NitroSessions sessions, SystemUserAuthenticator users)
{
    public const string CsrfHeader = "X-Portico-CSRF";

    /// <summary>The live session's user, or null (no cookie, expired, or its user removed).</summary>
    public DashboardUser? Find(HttpContext ctx)
    {
        if (!ctx.Request.Cookies.TryGetValue(NitroAuthentication.CookieName, out var token) || token.Length == 0
            || sessions.Find(token) is not { } session)
        {
            return null;
        }

        // Rights follow the config: a removed user's session ends, a changed policy applies at once.
        if (users.Find(session.User) is not { } user)
        {
            sessions.Close(token);
            return null;
        }

        return new DashboardUser(user, session);
    }

    /// <summary>True when the request carries the session's CSRF token (compared in fixed time).</summary>
    public static bool HasCsrfToken(HttpContext ctx, DashboardUser user) =>
        ctx.Request.Headers[CsrfHeader].FirstOrDefault() is { } sent
        && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(sent), Encoding.UTF8.GetBytes(user.Session.CsrfToken));
}

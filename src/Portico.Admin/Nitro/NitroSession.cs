namespace Portico.Admin.Nitro;

/// <summary>
/// A logged-in user. The CSRF token is for the browser front end to come: a page sends it back in a header,
/// which a cross-site form cannot, while NITRO clients that hold the cookie themselves need not.
/// </summary>
public sealed record NitroSession(string User, string Address, string CsrfToken, TimeSpan IdleTimeout)
{
    public DateTimeOffset LastUsed { get; set; }
}

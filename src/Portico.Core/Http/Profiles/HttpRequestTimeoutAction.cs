namespace Portico.Http.Profiles;

/// <summary>
/// What Portico does when a request head does not arrive in time (<c>-reqTimeoutAction</c>, and
/// <c>-incompHdrDelay</c> between its packets).
/// </summary>
public enum HttpRequestTimeoutAction
{
    /// <summary>
    /// No action named, or a responder action (Portico has no responder): answer <c>408 Request Timeout</c>,
    /// then close the connection.
    /// </summary>
    Respond,

    /// <summary><c>RESET</c>: reset the client connection (TCP RST), nothing written.</summary>
    Reset,

    /// <summary><c>DROP</c>: close the client connection silently.</summary>
    Drop,
}

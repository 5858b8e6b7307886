namespace Portico.Health;

/// <summary>
/// The outcome of one probe, naming the layer that answered or failed, in HAProxy's check-status words
/// so operators who know them read them at once: L4CON is a refused connect, L4TOUT a connect that
/// timed out, L6RSP a TLS failure, L7STS a wrong HTTP status, and so on.
/// </summary>
public enum ProbeStatus
{
    /// <summary>ICMP echo reply received.</summary>
    L3OK,

    /// <summary>No ICMP echo reply within the response timeout.</summary>
    L3TOUT,

    /// <summary>ICMP said the destination is unreachable.</summary>
    L3UNR,

    /// <summary>TCP connection opened.</summary>
    L4OK,

    /// <summary>Connect refused (RST), unreachable, or ICMP port unreachable for UDP.</summary>
    L4CON,

    /// <summary>Connect did not complete within the response timeout.</summary>
    L4TOUT,

    /// <summary>TLS handshake completed.</summary>
    L6OK,

    /// <summary>TLS handshake failed.</summary>
    L6RSP,

    /// <summary>TLS handshake did not complete within the response timeout.</summary>
    L6TOUT,

    /// <summary>The application answered as expected.</summary>
    L7OK,

    /// <summary>No (complete) response within the response timeout.</summary>
    L7TOUT,

    /// <summary>The response was not valid (not HTTP, connection closed or reset before it).</summary>
    L7RSP,

    /// <summary>HTTP status not in <c>-respCode</c>.</summary>
    L7STS,

    /// <summary>The response does not contain <c>-recv</c> (Extended Content Verification failed).</summary>
    L7ECV,

    /// <summary>The probe could not be sent (source address unusable, not permitted).</summary>
    ERROR,

    /// <summary>Not a probe: live traffic failed often enough in a row (passive health).</summary>
    PASSIVE,
}

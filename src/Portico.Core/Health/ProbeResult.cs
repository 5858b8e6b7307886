namespace Portico.Health;

/// <summary>One probe's outcome and what an operator needs to know about it.</summary>
public readonly record struct ProbeResult(ProbeStatus Status, string Detail)
{
    public bool Ok => Status is ProbeStatus.L3OK or ProbeStatus.L4OK or ProbeStatus.L6OK or ProbeStatus.L7OK;

    /// <summary>
    /// The probe could not leave Portico (no free source port toward the server): it says nothing about the
    /// server, so the member's state is left as it is, as for client connects refused for the same reason.
    /// </summary>
    public bool NoVerdict { get; init; }

    /// <summary><c>L4CON connection refused</c>.</summary>
    public override string ToString() => $"{Status} {Detail}";
}

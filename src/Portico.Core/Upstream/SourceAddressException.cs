using System.Net.Sockets;

namespace Portico.Upstream;

/// <summary>Why Portico could not give a server connection a source address and port.</summary>
public enum SourceProblem
{
    /// <summary>Every source address already holds a connection to the server's ip:port on every ephemeral port.</summary>
    PortsExhausted,

    /// <summary>The source address is not usable here: a SNIP not configured on the host, or USIP without the privilege.</summary>
    AddressUnusable,
}

/// <summary>
/// A connect refused on Portico's side, before any packet left: the member is not at fault, so it is
/// neither retried as failing nor reported to passive health; the client is refused at once.
/// </summary>
public sealed class SourceAddressException(SourceProblem problem, SocketError error, string detail, string advice) : SocketException((int)error)
{
    public SourceProblem Problem { get; } = problem;

    /// <summary>What was tried: <c>from 10.0.0.5, 10.0.0.6 to 10.0.1.10:80</c>.</summary>
    public string Detail { get; } = detail;

    /// <summary>What the operator can add or change.</summary>
    public string Advice { get; } = advice;

    public override string Message => $"{Detail}: {Advice}";
}

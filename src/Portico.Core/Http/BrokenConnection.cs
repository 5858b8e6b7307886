using System.Net.Sockets;

namespace Portico.Http;

/// <summary>How a broken server connection reads in passive-health reasons (<c>L7RSP reset during the response</c>).</summary>
internal static class BrokenConnection
{
    public static string Words(SocketException e) =>
        e.SocketErrorCode == SocketError.ConnectionReset ? "reset" : $"connection error {e.SocketErrorCode}";
}

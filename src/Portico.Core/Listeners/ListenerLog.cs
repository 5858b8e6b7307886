using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Portico.Listeners;

/// <summary>The log lines of the L4 listening sockets (event ids of the Listeners range).</summary>
internal static partial class ListenerLog
{
    [LoggerMessage(EventId = 201, Level = LogLevel.Information, Message = "lb vserver {Vserver} listening on {Endpoint}")]
    public static partial void Listening(ILogger logger, string vserver, IPEndPoint endpoint);

    [LoggerMessage(EventId = 202, Level = LogLevel.Warning, Message = "lb vserver {Vserver} cannot listen on {Endpoint}: {Error}")]
    public static partial void CannotListen(ILogger logger, string vserver, IPEndPoint endpoint, SocketError error);

    [LoggerMessage(EventId = 203, Level = LogLevel.Information, Message = "Stopped listening on {Endpoint}")]
    public static partial void Stopped(ILogger logger, IPEndPoint endpoint);
}

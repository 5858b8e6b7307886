using System.Net;
using System.Net.Sockets;

namespace Portico.Capture.Tap;

/// <summary>Wraps Portico's L7 connections to members for the decrypted tap, when a capture covers the member.</summary>
internal static class TapStreams
{
    public static Stream Backend(ConnectionTaps taps, Stream stream, Socket socket, string member, IPEndPoint server) =>
        socket.LocalEndPoint is IPEndPoint local && taps.OpenBackend(member, local, server) is { } tap
            ? new TapStream(stream, stream, tap, readsAreToServer: false)
            : stream;
}

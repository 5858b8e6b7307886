using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Portico.Admin.AdminSocket;

/// <summary>Talks to a running Portico over its admin socket.</summary>
public sealed class AdminClient : IDisposable
{
    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly StreamReader _reader;

    private AdminClient(Socket socket)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: true);
        _reader = new StreamReader(_stream, Encoding.UTF8);
    }

    /// <summary>Connects, or throws <see cref="AdminUnavailableException"/> with what to do about it.</summary>
    public static AdminClient Connect(string path)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            socket.Connect(new UnixDomainSocketEndPoint(path));
        }
        catch (SocketException e)
        {
            socket.Dispose();
            throw new AdminUnavailableException(e.SocketErrorCode switch
            {
                SocketError.AddressNotAvailable or SocketError.ConnectionRefused or SocketError.AddressFamilyNotSupported =>
                    $"no Portico is running with admin socket {path} (start one with 'portico run', or pass --admin-socket)",
                SocketError.AccessDenied => $"permission denied on {path}: run as the user that runs Portico, or as root",
                _ => $"cannot reach {path}: {e.Message}",
            });
        }

        // Before a byte is sent: whoever can create the socket's path could be listening there, and the
        // commands may carry certificate passphrases. The kernel says who called listen(), not the peer.
        if (AdminSocketTrust.DistrustServer(path, PeerCredentials.UidOf(socket)) is { } why)
        {
            socket.Dispose();
            throw new AdminUnavailableException(why);
        }

        return new AdminClient(socket);
    }

    /// <summary>The process id of the Portico serving the socket, from the kernel (SO_PEERCRED); null when it does not say.</summary>
    public int? ServerProcessId => PeerCredentials.PidOf(_socket);

    public async Task<AdminResponse> SendAsync(AdminRequest request, CancellationToken cancellationToken = default)
    {
        var json = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(request, AdminJson.Default.AdminRequest) + "\n");
        if (json.Length - 1 > AdminEndpointOptions.DefaultMaxRequestBytes)
        {
            // The endpoint would refuse it after reading 32 MiB; say so before sending any.
            throw new AdminUnavailableException(new AdminLineTooLongException(AdminEndpointOptions.DefaultMaxRequestBytes).Message);
        }

        try
        {
            await _stream.WriteAsync(json, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            // EPIPE: the Portico this connection reached has gone (stopped or restarted); nothing was read by it.
            throw new AdminConnectionLostException(sent: false, e);
        }

        string? line;
        try
        {
            line = await _reader.ReadLineAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            throw new AdminConnectionLostException(sent: true, e);
        }

        if (line is null)
        {
            throw new AdminConnectionLostException(sent: true, null);
        }

        return JsonSerializer.Deserialize(line, AdminJson.Default.AdminResponse)
            ?? throw new AdminUnavailableException("Portico sent an empty answer");
    }

    public Task<AdminResponse> ApplyAsync(string commands, CancellationToken cancellationToken = default) =>
        SendAsync(new AdminRequest("apply", commands), cancellationToken);

    public void Dispose()
    {
        _reader.Dispose();
        _stream.Dispose();
        _socket.Dispose();
    }
}

/// <summary>The admin endpoint cannot be reached; the message says why and what to do.</summary>
public class AdminUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// The connection to Portico broke during a request (Portico stopped or restarted).
/// <paramref name="sent"/> false: the request never reached it, so sending it again is safe; true: it may have run.
/// </summary>
public sealed class AdminConnectionLostException(bool sent, Exception? inner)
    : AdminUnavailableException(sent ? "Portico closed the admin connection before answering" : "Portico closed the admin connection", inner)
{
    /// <summary>True when the request was written, so Portico may have run it before the connection broke.</summary>
    public bool Sent { get; } = sent;
}

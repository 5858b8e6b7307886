using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Portico.Hosting;

namespace Portico.Admin.Endpoint;

/// <summary>
/// The local admin endpoint: a Unix socket (mode 0600) where <c>portico cli</c> sends command lines.
/// Only the process's own user and root are served, checked with the kernel's peer credentials;
/// anyone else is told so and disconnected. Each request is one batch: all of it applies, or none.
/// </summary>
public sealed partial class AdminEndpoint(PorticoEngine engine, AdminEndpointOptions options, ConfigReloader reloader, ILogger<AdminEndpoint> logger)
    : BackgroundService
{
    private Socket? _listener;

    public string SocketPath => options.SocketPath;

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        var dir = Path.GetDirectoryName(options.SocketPath)!;
        Directory.CreateDirectory(dir);
        if (File.Exists(options.SocketPath))
        {
            // A socket file left by a process that died; if a live one owns it, connecting tells us.
            if (IsLive(options.SocketPath))
            {
                throw new InvalidOperationException($"another Portico is already serving the admin socket {options.SocketPath}; stop it or use --admin-socket");
            }

            File.Delete(options.SocketPath);
        }

        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(options.SocketPath));
        File.SetUnixFileMode(options.SocketPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        socket.Listen(16);
        _listener = socket;
        Log.Listening(logger, options.SocketPath);
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener!.AcceptAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException
                || e is SocketException { SocketErrorCode: SocketError.OperationAborted or SocketError.Interrupted })
            {
                // StopAsync closes the listener before the host cancels the token: either way, stopping.
                return;
            }
            catch (SocketException e)
            {
                // A failed accept (the process out of file descriptors, say) must not stop Portico; try again shortly.
                Log.AcceptFailed(logger, e.SocketErrorCode);
                await Task.Delay(100, stoppingToken).ConfigureAwait(false);
                continue;
            }

            _ = ServeAsync(client, stoppingToken);
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _listener?.Dispose();
        try
        {
            File.Delete(options.SocketPath);
        }
        catch (IOException)
        {
        }

        await base.StopAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task ServeAsync(Socket client, CancellationToken cancellationToken)
    {
        using var stream = new NetworkStream(client, ownsSocket: true);
        var uid = PeerCredentials.UidOf(client);
        if (uid is null || (uid != 0 && uid != PeerCredentials.CurrentUid))
        {
            Log.Refused(logger, uid?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "unknown");
            await Write(stream, new AdminResponse(false, "refused: the admin endpoint serves only its own user and root\n"), cancellationToken).ConfigureAwait(false);
            return;
        }

        using var reader = new StreamReader(stream, Encoding.UTF8, leaveOpen: true);
        try
        {
            while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
            {
                var request = JsonSerializer.Deserialize(line, AdminJson.Default.AdminRequest);
                var response = request?.Op switch
                {
                    "apply" => await Apply(request.Commands ?? "", cancellationToken).ConfigureAwait(false),
                    "reload" => await reloader.ReloadAsync(cancellationToken).ConfigureAwait(false),
                    _ => new AdminResponse(false, $"unknown admin operation '{request?.Op}'\n"),
                };
                await Write(stream, response, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is IOException or JsonException or OperationCanceledException or SocketException)
        {
            Log.ClientError(logger, e.Message);
        }
    }

    private async Task<AdminResponse> Apply(string commands, CancellationToken cancellationToken)
    {
        var result = await engine.ApplyAsync(commands, "cli", cancellationToken).ConfigureAwait(false);
        var text = result.Describe();
        if (result.Applied && result.CommandCount > 0 && result.Output.All(o => o.Length == 0) && result.Unsupported.Count == 0)
        {
            text += " Done\n";
        }

        return new AdminResponse(result.Applied, text);
    }

    private static async Task Write(Stream stream, AdminResponse response, CancellationToken cancellationToken)
    {
        var json = JsonSerializer.Serialize(response, AdminJson.Default.AdminResponse) + "\n";
        await stream.WriteAsync(Encoding.UTF8.GetBytes(json), cancellationToken).ConfigureAwait(false);
    }

    private static bool IsLive(string path)
    {
        using var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            probe.Connect(new UnixDomainSocketEndPoint(path));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 300, Level = LogLevel.Information, Message = "Admin endpoint on {Path}")]
        public static partial void Listening(ILogger logger, string path);

        [LoggerMessage(EventId = 301, Level = LogLevel.Warning, Message = "Admin connection refused for uid {Uid}")]
        public static partial void Refused(ILogger logger, string uid);

        [LoggerMessage(EventId = 302, Level = LogLevel.Debug, Message = "Admin client error: {Error}")]
        public static partial void ClientError(ILogger logger, string error);

        [LoggerMessage(EventId = 303, Level = LogLevel.Warning, Message = "Admin endpoint could not accept a connection: {Error}; retrying")]
        public static partial void AcceptFailed(ILogger logger, System.Net.Sockets.SocketError error);
    }
}

/// <summary>Where the admin endpoint listens.</summary>
public sealed record AdminEndpointOptions(string SocketPath);

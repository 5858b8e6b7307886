using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Portico.Engine;

namespace Portico.Admin.AdminSocket;

/// <summary>
/// The local admin endpoint: a Unix socket (mode 0600) where <c>portico cli</c> sends command lines.
/// Only the process's own user and root are served, checked with the kernel's peer credentials;
/// anyone else is told so and disconnected. The socket's directory must be this user's (or root's) and
/// writable by no one else, and nothing but a stale socket of ours is replaced (<see cref="AdminSocketTrust"/>).
/// Each request is one batch, one line of at most <see cref="AdminEndpointOptions.MaxRequestBytes"/>: all of it applies, or none.
/// </summary>
public sealed partial class AdminEndpoint(PorticoEngine engine, AdminEndpointOptions options, ConfigReloader reloader, Configuration.SaveTracker saved,
    Portico.Audit.AuditLog audit, ILogger<AdminEndpoint> logger)
    : BackgroundService
{
    private Socket? _listener;

    public string SocketPath => options.SocketPath;

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        PrepareSocketPath(options.SocketPath);
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(options.SocketPath));
        File.SetUnixFileMode(options.SocketPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        socket.Listen(16);
        _listener = socket;
        Log.Listening(logger, options.SocketPath);
        return base.StartAsync(cancellationToken);
    }

    /// <summary>
    /// Makes <paramref name="path"/> ready to bind, or throws <see cref="InvalidOperationException"/> saying why it
    /// cannot be used: <c>portico run</c> calls it before anything listens, the endpoint again when it starts.
    /// </summary>
    public static void PrepareSocketPath(string path)
    {
        // sun_path holds 108 bytes with its terminating zero (unix(7)).
        if (System.Text.Encoding.UTF8.GetByteCount(path) is 0 or > 107)
        {
            throw new AdminSocketException($"admin socket path '{path}' is {(path.Length == 0 ? "empty" : "longer than the 107 bytes a Unix socket path can have")}; choose another --admin-socket");
        }

        // The directory first: whoever controls it could listen in Portico's place (see AdminSocketTrust).
        AdminSocketTrust.PrepareDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        if (AdminSocketTrust.CheckPath(path))
        {
            // A socket of ours left by a process that died; if a live one owns it, connecting tells us.
            if (IsLive(path))
            {
                throw new InvalidOperationException($"another Portico is already serving the admin socket {path}; stop it or use --admin-socket");
            }

            File.Delete(path);
        }
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
        if (_listener is not null)
        {
            _listener.Dispose();
            try
            {
                // Only the socket this process bound: had anything replaced it, it is not ours to remove.
                if (UnixFileStatus.Of(options.SocketPath, followLinks: false) is { IsSocket: true } status && status.Uid == PeerCredentials.CurrentUid)
                {
                    File.Delete(options.SocketPath);
                }
            }
            catch (IOException)
            {
            }
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

        var reader = new AdminLineReader(stream, options.MaxRequestBytes);
        try
        {
            while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
            {
                // With inline socket completions this runs on the socket engine's thread; a config change compiles
                // and binds listeners, so it moves to the thread pool rather than stall every other socket.
                await Task.Yield();
                var request = JsonSerializer.Deserialize(line, AdminJson.Default.AdminRequest);
                var response = request?.Op switch
                {
                    "apply" => await Apply(request.Commands ?? "", uid.Value, cancellationToken).ConfigureAwait(false),
                    "reload" => await reloader.ReloadAsync(request.Force, cancellationToken).ConfigureAwait(false),
                    _ => new AdminResponse(false, $"unknown admin operation '{request?.Op}'\n"),
                };
                await Write(stream, response, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (AdminLineTooLongException e)
        {
            // Answered, then closed: the rest of the line is not read.
            Log.ClientError(logger, e.Message);
            await Write(stream, new AdminResponse(false, "ERROR: " + e.Message + "\n"), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or JsonException or OperationCanceledException or SocketException)
        {
            Log.ClientError(logger, e.Message);
        }
    }

    private async Task<AdminResponse> Apply(string commands, uint uid, CancellationToken cancellationToken)
    {
        var result = await engine.ApplyAsync(commands, "cli", cancellationToken).ConfigureAwait(false);
        audit.RecordBatch($"uid {uid}", "cli", commands, result.Applied ? null : string.Join("; ", result.Errors));
        var text = result.Describe();
        if (result.Applied && result.CommandCount > 0 && result.Output.All(o => o.Length == 0) && result.Unsupported.Count == 0)
        {
            text += " Done\n";
        }

        // A command that ran and failed (show of a missing object, say) fails the batch's exit status too;
        // the store reports it as an "ERROR: " line of output, the mutations before it stay applied. So does a
        // line kept but not supported: it is in the config, but it did not do what was asked. Lines that only
        // tune NetScaler's own built-in objects (kept without effect) lose nothing and do not fail the batch.
        var failed = result.Output.Any(o => o.StartsWith("ERROR: ", StringComparison.Ordinal))
            || result.Unsupported.Any(u => !u.WithoutEffect);
        return new AdminResponse(result.Applied && !failed, text, engine.Store.ConfigPath is not null && saved.Unsaved);
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
public sealed record AdminEndpointOptions(string SocketPath)
{
    /// <summary>The longest admin request accepted (one batch of command lines, JSON-encoded): 32 MiB.</summary>
    public const int DefaultMaxRequestBytes = 32 * 1024 * 1024;

    /// <summary>The longest admin request accepted, in bytes; a longer one is answered with an error and the connection closed.</summary>
    public int MaxRequestBytes { get; init; } = DefaultMaxRequestBytes;
}

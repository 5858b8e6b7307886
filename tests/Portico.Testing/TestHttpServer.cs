using System.Net;
using System.Net.WebSockets;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Portico.Testing;

/// <summary>
/// A real HTTP backend on loopback (Kestrel). It answers every path with its name, except:
/// <c>/headers</c> echoes the request's headers (one <c>name: value</c> line each),
/// <c>/delay/{ms}</c> answers after a delay, <c>/status/{code}</c> answers with that status, <c>/bytes/{n}</c> sends n bytes, <c>/ws</c> is a
/// WebSocket echo, and <c>/c/...</c> is a cacheable object whose query sets the response (<see cref="CacheableAsync"/>). Every response carries <c>X-Backend: name</c> and <c>X-Request-Target</c> (the path and query it got); it counts requests and connections.
/// </summary>
public sealed class TestHttpServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> _connections = new();
    private int _requests;

    private TestHttpServer(string name, WebApplication app)
    {
        Name = name;
        _app = app;
    }

    public string Name { get; }

    public int Port { get; private set; }

    public IPEndPoint EndPoint => new(IPAddress.Loopback, Port);

    /// <summary>Conditional requests to <c>/c/</c> answered 304 since start.</summary>
    public int NotModified => Volatile.Read(ref _notModified);

    private int _notModified;

    /// <summary>Requests answered since start.</summary>
    public int Requests => Volatile.Read(ref _requests);

    /// <summary>
    /// TCP connections that carried at least one request (keep-alive shows as fewer connections than
    /// requests; a health probe that connects and resets is not counted).
    /// </summary>
    public int Connections => _connections.Count;

    /// <summary>Added to the time of every answer, to make this backend slow.</summary>
    public TimeSpan Latency { get; set; }

    public static async Task<TestHttpServer> StartAsync(string name, int port = 0)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        TestHttpServer? self = null;
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, port));
        var app = builder.Build();
        self = new TestHttpServer(name, app);
        app.UseWebSockets();
        app.Run(self.HandleAsync);
        await app.StartAsync();
        self.Port = new Uri(app.Urls.First()).Port;
        return self;
    }

    private async Task HandleAsync(HttpContext context)
    {
        Interlocked.Increment(ref _requests);
        _connections.TryAdd(context.Connection.Id, true);
        context.Response.Headers["X-Backend"] = Name;
        context.Response.Headers["X-Request-Target"] = context.Request.Path.Value + context.Request.QueryString.Value;
        if (Latency > TimeSpan.Zero)
        {
            await Task.Delay(Latency);
        }

        var path = context.Request.Path.Value ?? "/";
        if (path == "/ws" && context.WebSockets.IsWebSocketRequest)
        {
            using var ws = await context.WebSockets.AcceptWebSocketAsync();
            var buffer = new byte[4096];
            while (true)
            {
                var r = await ws.ReceiveAsync(buffer, CancellationToken.None);
                if (r.MessageType == WebSocketMessageType.Close)
                {
                    await ws.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
                    return;
                }

                await ws.SendAsync(Encoding.UTF8.GetBytes($"{Name}: {Encoding.UTF8.GetString(buffer, 0, r.Count)}"), WebSocketMessageType.Text, true, CancellationToken.None);
            }
        }

        if (path.StartsWith("/c/", StringComparison.Ordinal))
        {
            await CacheableAsync(context, path);
            return;
        }

        if (path == "/headers")
        {
            var sb = new StringBuilder();
            foreach (var h in context.Request.Headers)
            {
                sb.Append(h.Key.ToLowerInvariant()).Append(": ").Append(h.Value.ToString()).Append('\n');
            }

            await context.Response.WriteAsync(sb.ToString());
            return;
        }

        if (path == "/echo")
        {
            // The request's body back, byte for byte: what the server received is what the client sent.
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            context.Response.ContentLength = body.Length;
            await context.Response.Body.WriteAsync(body.GetBuffer().AsMemory(0, (int)body.Length));
            return;
        }

        if (path.StartsWith("/status/", StringComparison.Ordinal))
        {
            context.Response.StatusCode = int.Parse(path[8..], System.Globalization.CultureInfo.InvariantCulture);
            await context.Response.WriteAsync(Name);
            return;
        }

        if (path.StartsWith("/delay/", StringComparison.Ordinal))
        {
            await Task.Delay(int.Parse(path[7..], System.Globalization.CultureInfo.InvariantCulture), context.RequestAborted);
        }
        else if (path.StartsWith("/bytes/", StringComparison.Ordinal))
        {
            var n = int.Parse(path[7..], System.Globalization.CultureInfo.InvariantCulture);
            context.Response.ContentLength = n;
            await context.Response.Body.WriteAsync(new byte[n]);
            return;
        }

        await context.Response.WriteAsync(Name);
    }

    /// <summary>
    /// A cacheable object: every <c>h=Name:Value</c> in the query is a response field; <c>size=N</c> sends N bytes
    /// (else the backend's name, the path and the request's <c>X-Variant</c>); <c>chunked=1</c> sends no Content-Length.
    /// A request whose If-None-Match holds the object's ETag is answered 304.
    /// </summary>
    private async Task CacheableAsync(HttpContext context, string path)
    {
        var q = context.Request.Query;
        string? etag = null;
        foreach (var h in q["h"])
        {
            var colon = h!.IndexOf(':', StringComparison.Ordinal);
            var (name, value) = (h[..colon], h[(colon + 1)..]);
            context.Response.Headers.Append(name, value);
            if (name.Equals("ETag", StringComparison.OrdinalIgnoreCase))
            {
                etag = value;
            }
        }

        if (etag is not null && context.Request.Headers.IfNoneMatch.ToString() == etag)
        {
            Interlocked.Increment(ref _notModified);
            context.Response.StatusCode = 304;
            return;
        }

        var body = q.TryGetValue("size", out var size)
            ? Encoding.ASCII.GetBytes(new string('a', int.Parse(size!, System.Globalization.CultureInfo.InvariantCulture)))
            : Encoding.UTF8.GetBytes($"{Name} {path} {context.Request.Headers["X-Variant"]} {context.Request.Headers.AcceptEncoding}");
        if (q["chunked"] != "1")
        {
            context.Response.ContentLength = body.Length;
        }

        await context.Response.Body.WriteAsync(body);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

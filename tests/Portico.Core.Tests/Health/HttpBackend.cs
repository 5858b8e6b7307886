using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Portico.Core.Tests.Health;

/// <summary>
/// A real HTTP/1.1 server on loopback whose answer a test changes while it runs: the status, the body,
/// or silence (it reads the request and never answers). Optionally over TLS with a self-signed
/// certificate. Every connection gets one response and is closed by the server.
/// </summary>
internal sealed class HttpBackend : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly X509Certificate2? _certificate;
    private readonly Task _accepting;
    private int _requests;

    private HttpBackend(Socket listener, X509Certificate2? certificate)
    {
        _listener = listener;
        _certificate = certificate;
        EndPoint = (IPEndPoint)listener.LocalEndPoint!;
        _accepting = AcceptAsync();
    }

    public IPEndPoint EndPoint { get; }

    public int Port => EndPoint.Port;

    public volatile int Status = 200;

    public volatile string Body = "OK";

    /// <summary>Reads requests and never answers them.</summary>
    public volatile bool Silent;

    /// <summary>Requests answered or swallowed.</summary>
    public int Requests => Volatile.Read(ref _requests);

    /// <summary>The request lines received, for checking what a monitor sent.</summary>
    public List<string> RequestLines { get; } = [];

    public static HttpBackend Start(bool tls = false, int port = 0)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, port));
        socket.Listen(512);
        return new HttpBackend(socket, tls ? SelfSigned() : null);
    }

    private static X509Certificate2 SelfSigned()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=portico-test-backend", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var cert = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        return X509CertificateLoader.LoadPkcs12(cert.Export(X509ContentType.Pfx), null);
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket s;
            try
            {
                s = await _listener.AcceptAsync(_stop.Token);
            }
            catch (Exception)
            {
                return;
            }

            _ = ServeAsync(s);
        }
    }

    private async Task ServeAsync(Socket s)
    {
        try
        {
            using (s)
            {
                Stream stream = new NetworkStream(s, ownsSocket: false);
                if (_certificate is not null)
                {
                    var tls = new SslStream(stream);
                    await tls.AuthenticateAsServerAsync(_certificate);
                    stream = tls;
                }

                await using (stream)
                {
                    var request = new StringBuilder();
                    var buffer = new byte[4096];
                    while (!request.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
                    {
                        var n = await stream.ReadAsync(buffer, _stop.Token);
                        if (n == 0)
                        {
                            return;
                        }

                        request.Append(Encoding.ASCII.GetString(buffer, 0, n));
                    }

                    Interlocked.Increment(ref _requests);
                    lock (RequestLines)
                    {
                        RequestLines.Add(request.ToString().Split("\r\n")[0]);
                    }

                    if (Silent)
                    {
                        await Task.Delay(Timeout.Infinite, _stop.Token);
                    }

                    var body = Encoding.UTF8.GetBytes(Body);
                    var head = $"HTTP/1.1 {Status} X\r\nContent-Type: text/plain\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n";
                    await stream.WriteAsync(Encoding.ASCII.GetBytes(head), _stop.Token);
                    await stream.WriteAsync(body, _stop.Token);
                }
            }
        }
        catch (Exception)
        {
            // A probe resets its connection once it has its answer; that is not this server's problem.
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Dispose();
        await _accepting;
        _certificate?.Dispose();
        _stop.Dispose();
    }
}

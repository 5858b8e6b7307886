using System.Net;
using System.Text;
using Portico.Testing;

namespace Portico.Core.Tests.Http.Wire;

/// <summary>
/// A Portico with one HTTP vserver <c>v</c> over one <see cref="RecordingBackend"/> (service <c>s1</c>), for wire
/// tests: raw bytes in, the client's bytes and the backend's bytes out.
/// </summary>
public sealed class WireSetup : IAsyncDisposable
{
    private WireSetup(PorticoHost host, RecordingBackend backend)
    {
        Host = host;
        Backend = backend;
    }

    public PorticoHost Host { get; }

    public RecordingBackend Backend { get; }

    public IPEndPoint Vip => Host.EndPointOf("v");

    /// <summary>The vserver's <c>ClientProtocolErrors</c> counter (what <c>stat lb vserver v</c> shows as client protocol errors).</summary>
    public long ProtocolErrors => Interlocked.Read(ref Host.Engine.Runtime.Vservers["v"].Counters.ClientProtocolErrors);

    /// <summary>
    /// Starts; <paramref name="prelude"/> comes before the service and vserver (e.g. <c>add ns httpProfile</c>),
    /// <paramref name="vserverOptions"/> after <c>add lb vserver v HTTP 127.0.0.1 port</c>.
    /// </summary>
    public static async Task<WireSetup> StartAsync(string vserverOptions = "", string prelude = "", string serviceOptions = "")
    {
        var backend = RecordingBackend.Start();
        try
        {
            var host = await PorticoHost.StartAsync($"""
                {prelude}
                add service s1 127.0.0.1 HTTP {backend.Port} {serviceOptions}
                add lb vserver v HTTP 127.0.0.1 {Ports.Free()} {vserverOptions}
                bind lb vserver v s1
                """);
            var setup = new WireSetup(host, backend);
            try
            {
                _ = setup.Vip;
            }
            catch
            {
                await setup.DisposeAsync();
                throw;
            }

            return setup;
        }
        catch
        {
            await backend.DisposeAsync();
            throw;
        }
    }

    /// <summary>Sends on a new connection; reads until closed, or until <paramref name="finalResponses"/> final responses came.</summary>
    public Task<RawExchange> SendAsync(byte[] bytes, ISet<int>? headRequests = null, int? finalResponses = null) =>
        RawClient.ExchangeAsync(Vip, bytes, headRequests, finalResponses);

    public Task<RawExchange> SendAsync(string latin1) => SendAsync(Wire.Bytes(latin1));

    /// <summary>Bytes the backend has received on all its connections so far.</summary>
    public long BackendBytes => Backend.Connections.Sum(c => c.ReceivedCount);

    /// <summary>
    /// Sends <paramref name="request"/> on its own connection and asserts a refusal as the contract has it: one
    /// response with <paramref name="status"/> and <c>Connection: close</c>, the connection closed after it, no byte
    /// to the backend (or, with <paramref name="headMayReachServer"/>, no complete request: a broken chunked body
    /// may be found after the head went out), and <c>ClientProtocolErrors</c> one higher.
    /// </summary>
    public async Task<RawExchange> AssertRefusedAsync(string vector, byte[] request, int status, bool headMayReachServer = false, params int[] orStatus)
    {
        var errors = ProtocolErrors;
        var bytes = BackendBytes;
        var requests = Backend.Requests.Count;
        var exchange = await SendAsync(request);
        var why = $"vector {vector}: sent '{RawClient.Escape(request.AsSpan(0, Math.Min(request.Length, 400)))}', got {exchange}";
        Assert.True(exchange.Responses.Count == 1, $"expected one response; {why}");
        var response = exchange.Responses[0];
        Assert.True(response.Status == status || orStatus.Contains(response.Status), $"expected {status}{string.Concat(orStatus.Select(s => " or " + s))}; {why}");
        Assert.True(response.SaysClose, $"expected Connection: close; {why}");
        Assert.True(exchange.Closed, $"expected the connection closed after the response; {why}");
        if (headMayReachServer)
        {
            Assert.True(Backend.Requests.Count == requests, $"expected no complete request at the backend; {why}\nbackend: {Backend.Describe()}");
        }
        else
        {
            Assert.True(BackendBytes == bytes && Backend.Requests.Count == requests, $"expected nothing sent to the backend; {why}\nbackend: {Backend.Describe()}");
        }

        Assert.True(await Eventually.TrueAsync(() => ProtocolErrors >= errors + 1, Eventually.Timeout),
            $"expected ClientProtocolErrors {errors + 1}, it is {ProtocolErrors}; {why}");
        Assert.True(ProtocolErrors == errors + 1, $"expected ClientProtocolErrors {errors + 1}, it is {ProtocolErrors}; {why}");
        return exchange;
    }

    public Task<RawExchange> AssertRefusedAsync(string vector, string latin1, int status) => AssertRefusedAsync(vector, Wire.Bytes(latin1), status);

    /// <summary>Sends one request that must be forwarded: one 200 from the backend, and the one request the backend framed.</summary>
    public async Task<(RawResponse Response, RecordedRequest Forwarded)> AssertForwardedAsync(string vector, byte[] request, string target)
    {
        var exchange = await SendAsync(request, finalResponses: 1);
        var why = $"vector {vector}: sent '{RawClient.Escape(request.AsSpan(0, Math.Min(request.Length, 400)))}', got {exchange}\nbackend: {Backend.Describe()}";
        Assert.True(exchange.Responses.Count == 1 && exchange.Responses[0].Status == 200, $"expected one 200; {why}");
        var seen = Backend.RequestsFor(target);
        Assert.True(seen.Count == 1, $"expected the backend to see {target} once; {why}");
        Assert.True(exchange.Responses[0].BodyText == BackendReplies.BodyOf(seen[0]), $"expected the backend's answer to that request; {why}");
        Assert.Empty(Backend.Unframed);
        return (exchange.Responses[0], seen[0]);
    }

    public Task<(RawResponse Response, RecordedRequest Forwarded)> AssertForwardedAsync(string vector, string latin1, string target) =>
        AssertForwardedAsync(vector, Wire.Bytes(latin1), target);

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        await Backend.DisposeAsync();
    }
}

/// <summary>Byte helpers for vectors written as Latin-1 strings (one char, one byte).</summary>
public static class Wire
{
    public static byte[] Bytes(string latin1) => Encoding.Latin1.GetBytes(latin1);

    /// <summary>A vector whose request closes the connection, so the exchange ends when Portico closes.</summary>
    public const string Close = "Connection: close\r\n";
}

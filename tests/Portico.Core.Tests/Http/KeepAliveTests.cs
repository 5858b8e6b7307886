using System.Net.Sockets;
using System.Text;
using Portico.Http.Proxying;
using Portico.Testing;

namespace Portico.Core.Tests.Http;

/// <summary>
/// A keep-alive client connection between requests: warm for a moment (its buffer kept, read straight into), then
/// idle (no buffer, a zero-length read). Either way the next request is answered on the same connection, and a
/// connection with nothing to send is closed after <c>-cltTimeout</c> (HttpErrorTests).
/// </summary>
public class KeepAliveTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(4)]
    public async Task The_next_request_is_answered_on_the_same_connection_whether_it_comes_at_once_or_after_the_warm_time(int warmTimes)
    {
        await using var setup = await HttpSetup.StartAsync(backends: 2);
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(setup.Vip);
        var first = await ExchangeAsync(socket, "/one");

        // Past the warm time (and the sweep that ends it), the connection is idle when the second request comes.
        await Task.Delay(Http1Connection.WarmTime * warmTimes);
        var second = await ExchangeAsync(socket, "/two");

        Assert.Equal(200, first.Status);
        Assert.Equal(200, second.Status);

        // Round robin over two members: the answers name different backends, so each request was forwarded.
        Assert.NotEqual(first.BodyText, second.BodyText);
        Assert.Equal(2, Interlocked.Read(ref setup.Host.Engine.Runtime.Vservers["v"].Counters.Requests));
        Assert.Equal(1, Interlocked.Read(ref setup.Host.Engine.Runtime.Vservers["v"].Counters.TotalConnections));
    }

    private static async Task<RawResponse> ExchangeAsync(Socket socket, string path)
    {
        await socket.SendAsync(Encoding.ASCII.GetBytes($"GET {path} HTTP/1.1\r\nHost: x\r\n\r\n"));
        var (received, closed, _) = await RawClient.ReadUntilClosedAsync(socket, Eventually.Timeout, bytes => RawClient.Parse(bytes).Responses.Count == 1);
        var (responses, error) = RawClient.Parse(received);
        Assert.True(responses.Count == 1 && !closed, $"{path}: {error} {RawClient.Escape(received)}, closed {closed}");
        return responses[0];
    }
}

using System.Net;
using System.Net.Sockets;
using System.Text;
using Portico.Testing;

namespace Portico.Core.Tests.Http;

/// <summary>
/// Request bodies are buffered (up to 64 KiB) before a member is chosen: slow uploads hold client sockets
/// only, never a server connection, and every body reaches the server byte-exact, buffered or not.
/// </summary>
public class HttpRequestBufferingTests
{
    private const int Clients = 200;
    private const int BodyLength = 1000;

    [Fact]
    public async Task Slow_uploads_hold_no_server_connection_until_their_body_is_in_and_then_reach_the_server_whole()
    {
        await using var setup = await HttpSetup.StartAsync(backends: 1);
        var sockets = new List<Socket>();
        try
        {
            var head = Encoding.ASCII.GetBytes($"POST /echo HTTP/1.1\r\nHost: portico\r\nContent-Length: {BodyLength}\r\n\r\n");
            var body = Encoding.ASCII.GetBytes(new string('x', BodyLength));
            for (var i = 0; i < Clients; i++)
            {
                var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                await s.ConnectAsync(setup.Vip);
                await s.SendAsync(head, SocketFlags.None);
                await s.SendAsync(body.AsMemory(0, 10), SocketFlags.None);
                sockets.Add(s);
            }

            // Every upload is open at Portico, part-sent; the server has not seen one of them.
            var counters = setup.Host.Engine.Runtime.Vservers["v"].Counters;
            Assert.True(await Eventually.TrueAsync(() => Volatile.Read(ref counters.CurrentClientConnections) == Clients, Eventually.Timeout));
            Assert.Equal(0, setup.Backends[0].Requests);
            Assert.Equal(0, setup.Backends[0].Connections);

            foreach (var s in sockets)
            {
                await s.SendAsync(body.AsMemory(10), SocketFlags.None);
            }

            foreach (var s in sockets)
            {
                var answer = Encoding.ASCII.GetString(await ReadResponseAsync(s, BodyLength));
                Assert.StartsWith("HTTP/1.1 200", answer);
                Assert.EndsWith(new string('x', BodyLength), answer);
            }

            Assert.Equal(Clients, setup.Backends[0].Requests);
        }
        finally
        {
            sockets.ForEach(s => s.Dispose());
        }
    }

    [Fact]
    public async Task A_client_that_gives_up_mid_upload_is_a_client_abort_and_never_reaches_the_server()
    {
        await using var setup = await HttpSetup.StartAsync(backends: 1);
        using (var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            await s.ConnectAsync(setup.Vip);
            await s.SendAsync(Encoding.ASCII.GetBytes($"POST /echo HTTP/1.1\r\nHost: portico\r\nContent-Length: {BodyLength}\r\n\r\nxxxxx"), SocketFlags.None);
            var counters = setup.Host.Engine.Runtime.Vservers["v"].Counters;
            Assert.True(await Eventually.TrueAsync(() => Volatile.Read(ref counters.CurrentClientConnections) == 1, Eventually.Timeout));
        }

        var k = setup.Host.Engine.Runtime.Vservers["v"].Counters;
        Assert.True(await Eventually.TrueAsync(() => Interlocked.Read(ref k.ClientAborts) == 1, Eventually.Timeout));
        Assert.Equal(0, Interlocked.Read(ref k.Errors502));
        Assert.Equal(0, setup.Backends[0].Requests);
    }

    [Theory]
    [InlineData(100, false)]
    [InlineData(300 * 1024, false)]
    [InlineData(300 * 1024, true)]
    public async Task A_body_reaches_the_server_byte_exact_whether_it_fits_the_buffer_or_not(int length, bool chunked)
    {
        await using var setup = await HttpSetup.StartAsync(backends: 1);
        using var client = HttpSetup.Client();
        var payload = new byte[length];
        new Random(length).NextBytes(payload);
        using var content = new StreamContent(new MemoryStream(payload));
        if (!chunked)
        {
            content.Headers.ContentLength = length;
        }

        using var response = await client.PostAsync(setup.Url("/echo"), content);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(payload, await response.Content.ReadAsByteArrayAsync());
    }

    private static async Task<byte[]> ReadResponseAsync(Socket socket, int bodyLength)
    {
        using var cts = new CancellationTokenSource(Eventually.Timeout);
        var received = new MemoryStream();
        var buffer = new byte[8192];
        while (true)
        {
            var n = await socket.ReceiveAsync(buffer, SocketFlags.None, cts.Token);
            if (n == 0)
            {
                return received.ToArray();
            }

            received.Write(buffer, 0, n);
            var text = Encoding.ASCII.GetString(received.GetBuffer(), 0, (int)received.Length);
            var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            if (end >= 0 && received.Length - (end + 4) >= bodyLength)
            {
                return received.ToArray();
            }
        }
    }
}

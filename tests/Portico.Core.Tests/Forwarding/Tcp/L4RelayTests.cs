using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Portico.Testing;

namespace Portico.Core.Tests.Forwarding.Tcp;

/// <summary>What the L4 full proxy does to the bytes: all of them, in order, both ways, with half-close.</summary>
public class L4RelayTests
{
    [Fact]
    public async Task Client_half_close_reaches_the_server_and_the_reply_still_flows_back()
    {
        await using var setup = await L4Setup.StartAsync(backends: 1);
        var (socket, name) = await TestClient.ConnectAndGreetAsync(setup.Vip);
        using (socket)
        {
            await socket.SendAsync(Encoding.ASCII.GetBytes("hello after greeting"));
            socket.Shutdown(SocketShutdown.Send);

            // The backend echoes, sees our FIN, finishes and half-closes: we read all of it, then EOF.
            var rest = await TestClient.ReadToEndAsync(socket);
            Assert.Equal("b1", name);
            Assert.Equal("hello after greeting", Encoding.ASCII.GetString(rest));
        }
    }

    [Fact]
    public async Task Server_half_close_reaches_the_client_and_the_client_can_still_send()
    {
        // A backend that says goodbye first, then keeps reading until the client is done.
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen();
        var received = new TaskCompletionSource<string>();
        _ = Task.Run(async () =>
        {
            using var s = await listener.AcceptAsync();
            await s.SendAsync(Encoding.ASCII.GetBytes("bye"));
            s.Shutdown(SocketShutdown.Send);
            received.SetResult(Encoding.ASCII.GetString(await TestClient.ReadToEndAsync(s)));
        });
        var port = ((IPEndPoint)listener.LocalEndPoint!).Port;
        // Unprobed: this backend serves one connection, and a health probe arriving first would take it.
        await using var host = await PorticoHost.StartAsync($"add service s1 127.0.0.1 TCP {port} -healthMonitor NO\nadd lb vserver v TCP 127.0.0.1 {Ports.Free()}\nbind lb vserver v s1");

        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(host.EndPointOf("v"));
        Assert.Equal("bye", Encoding.ASCII.GetString(await TestClient.ReadToEndAsync(client)));
        await client.SendAsync(Encoding.ASCII.GetBytes("still talking"));
        client.Shutdown(SocketShutdown.Send);
        Assert.Equal("still talking", await received.Task.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task One_GiB_each_way_arrives_byte_exact()
    {
        await using var setup = await L4Setup.StartAsync(backends: 1);
        var (socket, _) = await TestClient.ConnectAndGreetAsync(setup.Vip);
        using (socket)
        {
            const long total = 1L << 30;
            using var sentHash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            using var receivedHash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var send = Task.Run(async () =>
            {
                var block = new byte[256 * 1024];
                var rng = new Random(42);
                for (long sent = 0; sent < total; sent += block.Length)
                {
                    rng.NextBytes(block);
                    sentHash.AppendData(block);
                    await socket.SendAsync(block);
                }

                socket.Shutdown(SocketShutdown.Send);
            });
            var buffer = new byte[256 * 1024];
            long got = 0;
            int n;
            while ((n = await socket.ReceiveAsync(buffer)) > 0)
            {
                receivedHash.AppendData(buffer, 0, n);
                got += n;
            }

            await send;
            Assert.Equal(total, got);
            Assert.Equal(sentHash.GetHashAndReset(), receivedHash.GetHashAndReset());
        }

        var counters = setup.Host.Engine.Runtime.Vservers["v"].Counters;
        Assert.True(await Eventually.TrueAsync(() => Interlocked.Read(ref counters.BytesFromClients) == 1L << 30, TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task A_thousand_concurrent_connections_all_get_through()
    {
        await using var setup = await L4Setup.StartAsync(backends: 2);
        var sockets = await Task.WhenAll(Enumerable.Range(0, 1000).Select(async i =>
        {
            var (s, _) = await TestClient.ConnectAndGreetAsync(setup.Vip);
            return s;
        }));
        try
        {
            Assert.True(await Eventually.TrueAsync(() => setup.Backends.Sum(b => b.Current) == 1000, TimeSpan.FromSeconds(10)));
            Assert.Equal(500, setup.Backends[0].Current);
            await Task.WhenAll(sockets.Select(async (s, i) =>
            {
                var message = Encoding.ASCII.GetBytes($"message {i}\n");
                await s.SendAsync(message);
                Assert.Equal($"message {i}", await TestClient.ReadLineAsync(s));
            }));
            Assert.Equal(1000, Interlocked.Read(ref setup.Host.Engine.Runtime.Vservers["v"].Counters.CurrentClientConnections));
        }
        finally
        {
            foreach (var s in sockets)
            {
                s.Dispose();
            }
        }

        Assert.True(await Eventually.TrueAsync(() => setup.Host.Connections.Count == 0, TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task A_backend_reset_resets_the_client_connection()
    {
        var setup = await L4Setup.StartAsync(backends: 1);
        try
        {
            var (socket, _) = await TestClient.ConnectAndGreetAsync(setup.Vip);
            using (socket)
            {
                await setup.Backends[0].DisposeAsync();
                var ended = await Task.Run(async () =>
                {
                    try
                    {
                        return await socket.ReceiveAsync(new byte[16]) == 0 ? "eof" : "data";
                    }
                    catch (SocketException e)
                    {
                        return e.SocketErrorCode.ToString();
                    }
                }).WaitAsync(TimeSpan.FromSeconds(5));
                Assert.Contains(ended, new[] { "ConnectionReset", "eof" });
            }

            Assert.True(await Eventually.TrueAsync(() => setup.Host.Connections.Count == 0, TimeSpan.FromSeconds(5)));
        }
        finally
        {
            await setup.Host.DisposeAsync();
        }
    }
}

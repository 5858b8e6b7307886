using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Portico.Forwarding.Tcp;
using Portico.Relaying;
using Portico.Testing;

namespace Portico.Core.Tests.Forwarding.Tcp;

/// <summary>
/// The byte relay end to end, real sockets on 127.0.0.1, in both modes: the managed copy and
/// splice(2) must keep the same contract (bytes exact, half-close both ways, resets passed on).
/// </summary>
public sealed class RelayTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    // Unprobed: a scripted backend serves one connection, and a health probe arriving first would take it.
    private static Task<PorticoHost> StartAsync(RelayMode mode, int backendPort, int bufferSize = 64 * 1024) =>
        PorticoHost.StartAsync($"""
            add service s1 127.0.0.1 TCP {backendPort} -healthMonitor NO
            add lb vserver v1 TCP 127.0.0.1 {Ports.Free()} -lbMethod ROUNDROBIN
            bind lb vserver v1 s1
            """, configure: s => s.AddSingleton(new RelayOptions { Mode = mode, BufferSize = bufferSize }));

    private static async Task<Socket> ConnectAsync(IPEndPoint endpoint)
    {
        var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await s.ConnectAsync(endpoint);
        return s;
    }

    [Theory]
    [InlineData(RelayMode.Managed, 64 * 1024)]
    [InlineData(RelayMode.Splice, 64 * 1024)]
    [InlineData(RelayMode.Splice, 16 * 1024)]
    [InlineData(RelayMode.Splice, 48 * 1024)]
    [InlineData(RelayMode.Auto, 64 * 1024)]
    public async Task Echoes_several_megabytes_byte_exact(RelayMode mode, int bufferSize)
    {
        await using var backend = TestTcpServer.Start("echo");
        await using var portico = await StartAsync(mode, backend.Port, bufferSize);
        using var cts = new CancellationTokenSource(Bound);
        var (client, name) = await TestClient.ConnectAndGreetAsync(portico.EndPointOf("v1"), cts.Token);
        using var _ = client;
        Assert.Equal("echo", name);

        var payload = new byte[6 * 1024 * 1024];
        new Random(42).NextBytes(payload);
        var reading = TestClient.ReadToEndAsync(client, cts.Token);
        for (var sent = 0; sent < payload.Length;)
        {
            sent += await client.SendAsync(payload.AsMemory(sent, Math.Min(100_000, payload.Length - sent)), SocketFlags.None, cts.Token);
        }

        client.Shutdown(SocketShutdown.Send);
        var echoed = await reading;
        Assert.Equal(payload.Length, echoed.Length);
        Assert.True(payload.AsSpan().SequenceEqual(echoed), "echoed bytes differ");

        var counters = portico.Engine.Runtime.Vservers["v1"].Counters;
        Assert.True(await Eventually.TrueAsync(() => portico.Connections.Count == 0, Bound));
        Assert.Equal(payload.Length, Interlocked.Read(ref counters.BytesFromClients));
        Assert.Equal(payload.Length + "echo\n".Length, Interlocked.Read(ref counters.BytesToClients));

        if (bufferSize == 48 * 1024)
        {
            // Only this case uses 48 KiB pipes: once the relay is over, every pipe is back in the pool.
            var (open, idle) = TcpRelay.PipeCounts(bufferSize);
            Assert.True(open > 0, "the relay never borrowed a pipe");
            Assert.Equal(open, idle);
        }
    }

    [Theory]
    [InlineData(RelayMode.Managed)]
    [InlineData(RelayMode.Splice)]
    [InlineData(RelayMode.Auto)]
    public async Task Server_half_close_reaches_the_client_and_the_client_can_still_send(RelayMode mode)
    {
        var received = new MemoryStream();
        await using var backend = new ScriptedBackend(async s =>
        {
            await s.SendAsync("bye"u8.ToArray(), SocketFlags.None);
            s.Shutdown(SocketShutdown.Send);
            var buffer = new byte[1024];
            int n;
            while ((n = await s.ReceiveAsync(buffer, SocketFlags.None)) > 0)
            {
                received.Write(buffer, 0, n);
            }
        });
        await using var portico = await StartAsync(mode, backend.Port);
        using var cts = new CancellationTokenSource(Bound);
        using var client = await ConnectAsync(portico.EndPointOf("v1"));

        Assert.Equal("bye", Encoding.ASCII.GetString(await TestClient.ReadToEndAsync(client, cts.Token)));
        await client.SendAsync("still here"u8.ToArray(), SocketFlags.None, cts.Token);
        client.Shutdown(SocketShutdown.Send);
        await backend.Done.WaitAsync(Bound);
        Assert.Equal("still here", Encoding.ASCII.GetString(received.ToArray()));
        Assert.True(await Eventually.TrueAsync(() => portico.Connections.Count == 0, Bound));
    }

    [Theory]
    [InlineData(RelayMode.Managed)]
    [InlineData(RelayMode.Splice)]
    [InlineData(RelayMode.Auto)]
    public async Task Client_half_close_reaches_the_server_and_its_answer_still_comes_back(RelayMode mode)
    {
        await using var backend = new ScriptedBackend(async s =>
        {
            var got = 0;
            var buffer = new byte[64 * 1024];
            int n;
            while ((n = await s.ReceiveAsync(buffer, SocketFlags.None)) > 0)
            {
                got += n;
            }

            // Only after the client's FIN: answer, then close.
            await s.SendAsync(Encoding.ASCII.GetBytes($"got {got}"), SocketFlags.None);
            s.Shutdown(SocketShutdown.Send);
        });
        await using var portico = await StartAsync(mode, backend.Port);
        using var cts = new CancellationTokenSource(Bound);
        using var client = await ConnectAsync(portico.EndPointOf("v1"));

        await client.SendAsync(new byte[300_000], SocketFlags.None, cts.Token);
        client.Shutdown(SocketShutdown.Send);
        Assert.Equal("got 300000", Encoding.ASCII.GetString(await TestClient.ReadToEndAsync(client, cts.Token)));
        Assert.True(await Eventually.TrueAsync(() => portico.Connections.Count == 0, Bound));
    }

    [Theory]
    [InlineData(RelayMode.Managed)]
    [InlineData(RelayMode.Splice)]
    [InlineData(RelayMode.Auto)]
    public async Task A_server_reset_resets_the_client(RelayMode mode)
    {
        await using var backend = new ScriptedBackend(async s =>
        {
            await s.SendAsync("hi\n"u8.ToArray(), SocketFlags.None);
            await Task.Delay(200);
            s.LingerState = new LingerOption(true, 0);
            s.Close();
        });
        await using var portico = await StartAsync(mode, backend.Port);
        using var cts = new CancellationTokenSource(Bound);
        using var client = await ConnectAsync(portico.EndPointOf("v1"));

        Assert.Equal("hi", await TestClient.ReadLineAsync(client, cts.Token));
        var e = await Assert.ThrowsAsync<SocketException>(() => TestClient.ReadToEndAsync(client, cts.Token));
        Assert.Equal(SocketError.ConnectionReset, e.SocketErrorCode);
        Assert.True(await Eventually.TrueAsync(() => portico.Connections.Count == 0, Bound));
    }

    [Theory]
    [InlineData(RelayMode.Managed)]
    [InlineData(RelayMode.Splice)]
    [InlineData(RelayMode.Auto)]
    public async Task A_client_reset_resets_the_server(RelayMode mode)
    {
        var serverSaw = new TaskCompletionSource<SocketError>();
        await using var backend = new ScriptedBackend(async s =>
        {
            try
            {
                var buffer = new byte[1024];
                while (await s.ReceiveAsync(buffer, SocketFlags.None) > 0)
                {
                }

                serverSaw.TrySetResult(SocketError.Success);
            }
            catch (SocketException e)
            {
                serverSaw.TrySetResult(e.SocketErrorCode);
            }
        });
        await using var portico = await StartAsync(mode, backend.Port);
        var client = await ConnectAsync(portico.EndPointOf("v1"));
        await client.SendAsync("x"u8.ToArray(), SocketFlags.None);
        Assert.True(await Eventually.TrueAsync(() => portico.Connections.Count == 1, Bound));
        client.LingerState = new LingerOption(true, 0);
        client.Close();

        Assert.Equal(SocketError.ConnectionReset, await serverSaw.Task.WaitAsync(Bound));
        Assert.True(await Eventually.TrueAsync(() => portico.Connections.Count == 0, Bound));
    }

    [Theory]
    [InlineData(RelayMode.Managed)]
    [InlineData(RelayMode.Splice)]
    [InlineData(RelayMode.Auto)]
    public async Task Abort_ends_a_relay_stuck_on_a_client_that_does_not_read(RelayMode mode)
    {
        // The backend floods; the client never reads, so the pump waits for writability (splice)
        // or in SendAsync (managed). An abort (idle timeout, flush, shutdown) must still end it.
        await using var backend = new ScriptedBackend(async s =>
        {
            var chunk = new byte[64 * 1024];
            try
            {
                while (true)
                {
                    await s.SendAsync(chunk, SocketFlags.None);
                }
            }
            catch (SocketException)
            {
            }
        });
        await using var portico = await StartAsync(mode, backend.Port);
        using var client = await ConnectAsync(portico.EndPointOf("v1"));
        client.ReceiveBufferSize = 4096;
        Assert.True(await Eventually.TrueAsync(() => portico.Connections.Count == 1, Bound));
        var counters = portico.Engine.Runtime.Vservers["v1"].Counters;
        Assert.True(await Eventually.TrueAsync(() => Interlocked.Read(ref counters.BytesToClients) > 0, Bound));
        await Task.Delay(300);

        foreach (var relay in portico.Connections.All)
        {
            relay.Abort("test");
        }

        Assert.True(await Eventually.TrueAsync(() => portico.Connections.Count == 0, Bound));
        await backend.Done.WaitAsync(Bound);
    }
}

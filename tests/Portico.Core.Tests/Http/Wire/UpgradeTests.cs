using System.Net.Sockets;
using System.Security.Cryptography;
using Portico.Testing;

namespace Portico.Core.Tests.Http.Wire;

/// <summary>
/// After a <c>101</c> the L4 relay carries the connection: bulk bytes both ways arrive whole (past the point where
/// the relay switches from copying to splice) and are counted; a tunnel with no traffic is cut at its idle limit.
/// </summary>
public class UpgradeTests
{
    private const int Bulk = 3 << 20;

    [Fact]
    public async Task Megabytes_each_way_through_an_upgraded_connection_arrive_whole_and_are_counted()
    {
        await using var setup = await WireSetup.StartAsync();
        setup.Backend.Reply = async (request, connection) =>
        {
            await connection.WriteAsync("HTTP/1.1 101 Switching Protocols\r\nConnection: upgrade\r\nUpgrade: portico-test\r\n\r\n"u8.ToArray());
            // Echo everything back until the client has sent its whole upload, then close.
            var buffer = new byte[64 * 1024];
            for (var echoed = 0; echoed < Bulk;)
            {
                var n = await connection.ReadAsync(buffer);
                if (n == 0)
                {
                    break;
                }

                await connection.WriteAsync(buffer.AsMemory(0, n).ToArray());
                echoed += n;
            }

            return false;
        };
        using var socket = await RawClient.ConnectAsync(setup.Vip);
        await socket.SendAsync("GET /bulk HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: portico-test\r\n\r\n"u8.ToArray(), SocketFlags.None);
        var head = await ForwardingTests.ReadAtLeastAsync(socket, "\r\n\r\n");
        Assert.StartsWith("HTTP/1.1 101", head, StringComparison.Ordinal);

        var upload = new byte[Bulk];
        new Random(7).NextBytes(upload);
        var sending = Task.Run(async () =>
        {
            for (var sent = 0; sent < upload.Length;)
            {
                sent += await socket.SendAsync(upload.AsMemory(sent, Math.Min(256 * 1024, upload.Length - sent)), SocketFlags.None);
            }
        });
        var (received, _, _) = await RawClient.ReadUntilClosedAsync(socket, Eventually.Timeout * 2, bytes => bytes.Length >= Bulk);
        await sending;

        Assert.Equal(Bulk, received.Length);
        Assert.Equal(SHA256.HashData(upload), SHA256.HashData(received));
        var counters = setup.Host.Engine.Runtime.Vservers["v"].Counters;
        Assert.True(await Eventually.TrueAsync(() => Interlocked.Read(ref counters.BytesFromClients) >= Bulk && Interlocked.Read(ref counters.BytesToClients) >= Bulk,
            Eventually.Timeout), $"from clients {counters.BytesFromClients}, to clients {counters.BytesToClients}");
    }

    [Fact]
    public async Task An_upgraded_connection_without_traffic_is_closed_at_cltTimeout_and_one_with_traffic_is_not()
    {
        await using var setup = await WireSetup.StartAsync("-cltTimeout 2");
        setup.Backend.Reply = async (request, connection) =>
        {
            await connection.WriteAsync("HTTP/1.1 101 Switching Protocols\r\nConnection: upgrade\r\nUpgrade: portico-test\r\n\r\n"u8.ToArray());
            var buffer = new byte[4096];
            int n;
            while ((n = await connection.ReadAsync(buffer)) > 0)
            {
                await connection.WriteAsync(buffer.AsMemory(0, n).ToArray());
            }

            return false;
        };
        using var quiet = await UpgradedAsync(setup);
        using var busy = await UpgradedAsync(setup);

        // The busy tunnel sends a byte every 500 ms for 4 s (twice its idle limit) and gets each back.
        for (var i = 0; i < 8; i++)
        {
            await busy.SendAsync(new byte[] { (byte)'a' }, SocketFlags.None);
            Assert.Contains("a", await ForwardingTests.ReadAtLeastAsync(busy, "a"), StringComparison.Ordinal);
            await Task.Delay(500);
        }

        var (_, closed, _) = await RawClient.ReadUntilClosedAsync(quiet, Eventually.Timeout);
        Assert.True(closed, "the quiet tunnel is still open after twice its idle limit");
        await busy.SendAsync(new byte[] { (byte)'z' }, SocketFlags.None);
        Assert.Contains("z", await ForwardingTests.ReadAtLeastAsync(busy, "z"), StringComparison.Ordinal);
    }

    private static async Task<Socket> UpgradedAsync(WireSetup setup)
    {
        var socket = await RawClient.ConnectAsync(setup.Vip);
        await socket.SendAsync("GET /tunnel HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: portico-test\r\n\r\n"u8.ToArray(), SocketFlags.None);
        Assert.StartsWith("HTTP/1.1 101", await ForwardingTests.ReadAtLeastAsync(socket, "\r\n\r\n"), StringComparison.Ordinal);
        return socket;
    }
}

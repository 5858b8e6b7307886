using System.Net.Sockets;
using Portico.Testing;

namespace Portico.Core.Tests.Http.Wire;

/// <summary>
/// Slow and endless heads: a head sent a byte at a time is closed with 408 once it passes the httpProfile's
/// <c>-reqTimeout</c>; header bytes without end get 431 at the head limit instead of being buffered.
/// </summary>
public class SlowClientTests
{
    [Fact]
    public async Task A_head_sent_a_byte_at_a_time_gets_408_and_the_close_when_it_passes_reqTimeout()
    {
        await using var setup = await WireSetup.StartAsync("-httpProfileName p", "add ns httpProfile p -reqTimeout 2");
        using var socket = await RawClient.ConnectAsync(setup.Vip);
        var head = Wire.Bytes("GET /slow HTTP/1.1\r\nHost: x\r\nX-Slow: " + new string('a', 4000));

        // A byte every 100 ms: 2 s of head timeout is 20 bytes; the loop is bounded by its byte count and the shared timeout.
        var deadline = DateTime.UtcNow + Eventually.Timeout * 2;
        var sent = 0;
        try
        {
            while (sent < head.Length && DateTime.UtcNow < deadline && !(socket.Available > 0 || socket.Poll(0, SelectMode.SelectRead)))
            {
                await socket.SendAsync(head.AsMemory(sent, 1), SocketFlags.None);
                sent++;
                await Task.Delay(100);
            }
        }
        catch (SocketException)
        {
            // Closed while sending: what it wrote first is read below.
        }

        var (received, closed, _) = await RawClient.ReadUntilClosedAsync(socket, Eventually.Timeout);
        var (responses, _) = RawClient.Parse(received);
        var why = $"after {sent} bytes: {RawClient.Escape(received)}, closed {closed}";
        Assert.True(responses.Count == 1 && responses[0].Status == 408 && responses[0].SaysClose && closed, why);
        Assert.Equal(0, setup.BackendBytes);
    }

    [Fact]
    public async Task Header_bytes_without_end_get_431_at_maxHeaderLen_rather_than_being_buffered()
    {
        await using var setup = await WireSetup.StartAsync();
        using var socket = await RawClient.ConnectAsync(setup.Vip);
        await socket.SendAsync(Wire.Bytes("GET /endless HTTP/1.1\r\nHost: x\r\nX-Endless: "), SocketFlags.None);
        var piece = Wire.Bytes(new string('a', 16 * 1024));

        // Up to 64 MiB, stopping at the first answer: a front end that buffered the head would never answer.
        long sent = 0;
        var deadline = DateTime.UtcNow + Eventually.Timeout;
        try
        {
            while (sent < 64L << 20 && DateTime.UtcNow < deadline && socket.Available == 0)
            {
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(1));
                try
                {
                    await socket.SendAsync(piece, SocketFlags.None, cts.Token);
                    sent += piece.Length;
                }
                catch (OperationCanceledException)
                {
                    // The send buffer is full: the server stopped reading; its answer, if any, is below.
                    break;
                }
            }
        }
        catch (SocketException)
        {
        }

        var (received, closed, _) = await RawClient.ReadUntilClosedAsync(socket, Eventually.Timeout);
        var (responses, _) = RawClient.Parse(received);
        var why = $"after {sent} header bytes: {RawClient.Escape(received.AsSpan(0, Math.Min(received.Length, 500)))}, closed {closed}";
        Assert.True(responses.Count == 1 && responses[0].Status == 431 && responses[0].SaysClose && closed, why);

        // The answer came at the limit, not at the end of what the client could push: what was sent before it is the
        // 24820-byte limit plus what the loopback socket buffers hold (a few MiB at most), far from the 64 MiB cap.
        Assert.True(sent < 16L << 20, why);
        Assert.Equal(0, setup.BackendBytes);
    }

    [Fact]
    public async Task A_head_just_under_maxHeaderLen_is_forwarded_and_one_just_over_gets_431()
    {
        await using var setup = await WireSetup.StartAsync();
        var prefix = "GET /edge HTTP/1.1\r\nHost: x\r\nX-Edge: ";
        var under = prefix + new string('a', 24820 - prefix.Length - 100) + "\r\n\r\n";
        await setup.AssertForwardedAsync("head just under 24820", under, "/edge");
        var over = prefix + new string('a', 24820 - prefix.Length + 100) + "\r\n\r\n";
        await setup.AssertRefusedAsync("head just over 24820", over, 431);
    }
}

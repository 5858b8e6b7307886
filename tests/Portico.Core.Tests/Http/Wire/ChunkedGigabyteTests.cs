using System.Net.Sockets;
using System.Text;
using Portico.Testing;

namespace Portico.Core.Tests.Http.Wire;

/// <summary>
/// Chunked bodies both ways through Portico, byte-exact at 1 GiB: the SHA-256 at the far end is the SHA-256 of what
/// was sent. Bounded by the shared timeout (a multiple of it: a gigabyte is many functional waits' worth), not timed.
/// </summary>
public class ChunkedGigabyteTests
{
    private const long GiB = 1L << 30;

    /// <summary>The bound for one gigabyte through Portico and both hashes on a shared 2-core machine.</summary>
    private static TimeSpan Bound => Eventually.Timeout * 12;

    [Fact]
    public async Task A_1_GiB_chunked_upload_reaches_the_backend_byte_exact()
    {
        await using var setup = await WireSetup.StartAsync();
        var expected = Task.Run(() => TestPayload.Sha256(GiB));
        using var cts = new CancellationTokenSource(Bound);
        using var socket = await RawClient.ConnectAsync(setup.Vip);
        await socket.SendAsync("POST /upload HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"u8.ToArray(), SocketFlags.None, cts.Token);
        var block = new byte[TestPayload.BlockSize];
        var sizeLine = Encoding.ASCII.GetBytes($"{TestPayload.BlockSize:x}\r\n");
        long offset = 0;
        try
        {
            for (; offset < GiB; offset += block.Length)
            {
                TestPayload.Fill(offset, block);
                await socket.SendAsync(sizeLine, SocketFlags.None, cts.Token);
                await socket.SendAsync(block, SocketFlags.None, cts.Token);
                await socket.SendAsync("\r\n"u8.ToArray(), SocketFlags.None, cts.Token);
            }

            await socket.SendAsync("0\r\n\r\n"u8.ToArray(), SocketFlags.None, cts.Token);
        }
        catch (SocketException e)
        {
            // Portico stopped reading: say what it answered instead.
            var (received, _, _) = await RawClient.ReadUntilClosedAsync(socket, Eventually.Timeout);
            Assert.Fail($"the upload broke after {offset} of {GiB} bytes ({e.SocketErrorCode}); Portico answered: {RawClient.Escape(received)}");
        }
        var answer = await ForwardingTests.ReadAtLeastAsync(socket, "request ");
        Assert.StartsWith("HTTP/1.1 200", answer, StringComparison.Ordinal);
        var seen = Assert.Single(setup.Backend.RequestsFor("/upload"));
        Assert.Equal(GiB, seen.BodyLength);
        Assert.Equal(Convert.ToHexString(await expected), Convert.ToHexString(seen.BodySha256));
    }

    [Fact]
    public async Task A_1_GiB_chunked_response_reaches_the_client_byte_exact()
    {
        await using var setup = await WireSetup.StartAsync();
        setup.Backend.Reply = BackendReplies.Streamed(GiB, chunked: true);
        var expected = Task.Run(() => TestPayload.Sha256(GiB));
        using var cts = new CancellationTokenSource(Bound);
        using var socket = await RawClient.ConnectAsync(setup.Vip);
        await socket.SendAsync("GET /download HTTP/1.1\r\nHost: x\r\n\r\n"u8.ToArray(), SocketFlags.None, cts.Token);
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        await using var buffered = new BufferedStream(stream, 256 * 1024);
        var head = await ReadLineAsync(buffered, cts.Token);
        Assert.StartsWith("HTTP/1.1 200", head, StringComparison.Ordinal);
        var chunked = false;
        long? length = null;
        for (var line = await ReadLineAsync(buffered, cts.Token); line.Length > 0; line = await ReadLineAsync(buffered, cts.Token))
        {
            chunked |= line.StartsWith("Transfer-Encoding:", StringComparison.OrdinalIgnoreCase) && line.Contains("chunked", StringComparison.OrdinalIgnoreCase);
            if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
            {
                length = long.Parse(line[15..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        Assert.True(chunked, "a chunked response from the server reaches an HTTP/1.1 client chunked (re-emitted)");
        var hash = await HashChunkedAsync(buffered, cts.Token);
        Assert.Equal(GiB, hash.Length);
        Assert.Null(length);
        Assert.Equal(Convert.ToHexString(await expected), Convert.ToHexString(hash.Sha256));
    }

    private static async Task<(long Length, byte[] Sha256)> HashChunkedAsync(Stream stream, CancellationToken cancellationToken)
    {
        using var hash = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        var buffer = new byte[256 * 1024];
        long total = 0;
        while (true)
        {
            var sizeLine = await ReadLineAsync(stream, cancellationToken);
            var size = Convert.ToInt64(sizeLine.Split(';')[0], 16);
            if (size == 0)
            {
                while ((await ReadLineAsync(stream, cancellationToken)).Length > 0)
                {
                }

                return (total, hash.GetHashAndReset());
            }

            for (var left = size; left > 0;)
            {
                var n = await stream.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, left)), cancellationToken);
                if (n == 0)
                {
                    throw new EndOfStreamException($"closed {left} bytes into a chunk after {total} bytes");
                }

                hash.AppendData(buffer, 0, n);
                left -= n;
                total += n;
            }

            Assert.Equal("", await ReadLineAsync(stream, cancellationToken));
        }
    }

    private static async Task<string> ReadLineAsync(Stream stream, CancellationToken cancellationToken)
    {
        var line = new StringBuilder();
        var one = new byte[1];
        while (true)
        {
            if (await stream.ReadAsync(one, cancellationToken) == 0)
            {
                throw new EndOfStreamException($"closed inside a line: '{line}'");
            }

            if (one[0] == '\n')
            {
                return line.ToString().TrimEnd('\r');
            }

            line.Append((char)one[0]);
        }
    }
}

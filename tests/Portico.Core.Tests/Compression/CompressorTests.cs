using System.IO.Compression;
using System.Text;
using Portico.Compression;

namespace Portico.Core.Tests.Compression;

/// <summary>Each encoder's output, fed in pieces and flushed after each, decodes to the input with the standard decoders.</summary>
public sealed class CompressorTests
{
    /// <summary>A body like a page: text that repeats with variations.</summary>
    public static byte[] Page(int size)
    {
        var sb = new StringBuilder("<!doctype html><html><body>\n");
        for (var i = 0; sb.Length < size; i++)
        {
            sb.Append(System.Globalization.CultureInfo.InvariantCulture, $"<p class=\"row{i % 7}\">Row {i}: the farm serves the same file from every member.</p>\n");
        }

        return Encoding.UTF8.GetBytes(sb.ToString()[..size]);
    }

    public static byte[] Decode(ContentCoding coding, byte[] coded)
    {
        using var input = new MemoryStream(coded);
        using Stream decoder = coding switch
        {
            ContentCoding.Gzip => new GZipStream(input, CompressionMode.Decompress),
            ContentCoding.Deflate => new ZLibStream(input, CompressionMode.Decompress),
            ContentCoding.Brotli => new BrotliStream(input, CompressionMode.Decompress),
            ContentCoding.Zstd => new ZstdSharp.DecompressionStream(input),
            _ => throw new ArgumentOutOfRangeException(nameof(coding)),
        };
        using var output = new MemoryStream();
        decoder.CopyTo(output);
        return output.ToArray();
    }

    [Theory]
    [InlineData(ContentCoding.Gzip, CmpLevel.Optimal)]
    [InlineData(ContentCoding.Deflate, CmpLevel.Optimal)]
    [InlineData(ContentCoding.Brotli, CmpLevel.Optimal)]
    [InlineData(ContentCoding.Zstd, CmpLevel.Optimal)]
    [InlineData(ContentCoding.Gzip, CmpLevel.BestSpeed)]
    [InlineData(ContentCoding.Brotli, CmpLevel.BestCompression)]
    [InlineData(ContentCoding.Zstd, CmpLevel.BestCompression)]
    public void Pieces_compressed_and_flushed_one_by_one_decode_byte_exact(ContentCoding coding, CmpLevel level)
    {
        var body = Page(200_000);
        using var encoder = Compressor.Create(coding, level);
        using var coded = new MemoryStream();
        var at = 0;
        var sizes = new[] { 1, 100, 4096, 65536, 30000 };
        var i = 0;
        while (at < body.Length)
        {
            var n = Math.Min(sizes[i++ % sizes.Length], body.Length - at);
            var piece = encoder.Compress(body.AsSpan(at, n));
            Assert.False(piece.IsEmpty);
            coded.Write(piece);
            at += n;
        }

        coded.Write(encoder.Finish());
        Assert.Equal(body, Decode(coding, coded.ToArray()));
        Assert.True(coded.Length < body.Length / 3, $"{coding}: {coded.Length} bytes for {body.Length}");
    }

    [Theory]
    [InlineData(ContentCoding.Gzip)]
    [InlineData(ContentCoding.Deflate)]
    [InlineData(ContentCoding.Brotli)]
    [InlineData(ContentCoding.Zstd)]
    public void What_was_flushed_so_far_decodes_before_the_stream_ends(ContentCoding coding)
    {
        // A slow stream: the client must be able to read the first piece before the member sends the next.
        var first = Encoding.ASCII.GetBytes("<html><body>the first part of a slow page");
        using var encoder = Compressor.Create(coding, CmpLevel.Optimal);
        var coded = encoder.Compress(first).ToArray();
        using var input = new MemoryStream(coded);
        using Stream decoder = coding switch
        {
            ContentCoding.Gzip => new GZipStream(input, CompressionMode.Decompress),
            ContentCoding.Deflate => new ZLibStream(input, CompressionMode.Decompress),
            ContentCoding.Brotli => new BrotliStream(input, CompressionMode.Decompress),
            _ => new ZstdSharp.DecompressionStream(input),
        };
        var buffer = new byte[first.Length];
        var read = 0;
        while (read < buffer.Length && decoder.Read(buffer, read, buffer.Length - read) is var n and > 0)
        {
            read += n;
        }

        Assert.Equal(first, buffer[..read]);
    }

    [Fact]
    public void The_budget_refuses_what_would_pass_its_cap_and_takes_it_back()
    {
        var budget = new CmpBudget(1000);
        Assert.True(budget.TryTake(600));
        Assert.False(budget.TryTake(600));
        Assert.Equal(600, budget.Used);
        budget.Give(600);
        Assert.True(budget.TryTake(1000));
    }
}

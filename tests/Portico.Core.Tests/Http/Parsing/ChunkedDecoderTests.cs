using Portico.Http.Parsing;
using static Portico.Core.Tests.Http.Parsing.Wire;

namespace Portico.Core.Tests.Http.Parsing;

/// <summary>Chunked vectors (rows 33-36, 47) and the decoder's contract with the engine.</summary>
public sealed class ChunkedDecoderTests
{
    [Theory]
    [MemberData(nameof(ChunkVectors.Names), MemberType = typeof(ChunkVectors))]
    public void Each_rule_vector_gives_its_step_payload_and_status(string name)
    {
        var vector = ChunkVectors.Named(name);
        var result = ChunkRun.Decode(Bytes(vector.Wire), HttpLimits.Default);
        Assert.Equal(vector.Step, result.Step);
        Assert.Equal(vector.Status, result.Status);
        if (vector.Step != ChunkStep.Invalid)
        {
            Assert.Equal(vector.Payload, result.Payload);
        }

        if (vector.Step == ChunkStep.Done)
        {
            Assert.Equal(vector.Length, result.Consumed);
        }
    }

    [Fact]
    public void Data_is_one_run_at_a_time_and_remaining_counts_down()
    {
        var decoder = default(ChunkedDecoder);
        var input = Bytes("a\r\n0123456789\r\n0\r\n\r\n");
        Assert.Equal(ChunkStep.NeedMore, decoder.Next(input.AsSpan(0, 3), HttpLimits.Default, out var consumed, out _, out _));
        Assert.Equal(3, consumed);
        Assert.Equal(10, decoder.Remaining);
        Assert.Equal(ChunkStep.Data, decoder.Next(input.AsSpan(3, 4), HttpLimits.Default, out consumed, out var start, out var length));
        Assert.Equal((4, 0, 4), (consumed, start, length));
        Assert.Equal(6, decoder.Remaining);

        // The engine copied 6 payload bytes itself (e.g. straight from the socket).
        decoder.Skip(6);
        Assert.Equal(0, decoder.Remaining);
        Assert.Equal(ChunkStep.Done, decoder.Next(input.AsSpan(13), HttpLimits.Default, out consumed, out _, out _));
        Assert.Equal(input.Length - 13, consumed);
        Assert.Equal(ChunkStep.Done, decoder.Next(input.AsSpan(0, 1), HttpLimits.Default, out consumed, out _, out _));
        Assert.Equal(0, consumed);

        decoder.Reset();
        Assert.Equal(ChunkStep.Invalid, decoder.Next(Bytes("x"), HttpLimits.Default, out _, out _, out _));
        Assert.Equal(400, decoder.Error.Status);
        decoder.Reset();
        Assert.Equal(ChunkStep.NeedMore, decoder.Next(Bytes("1"), HttpLimits.Default, out _, out _, out _));
    }

    [Fact]
    public void Skip_beyond_the_chunk_is_refused()
    {
        var decoder = default(ChunkedDecoder);
        decoder.Next(Bytes("2\r\n"), HttpLimits.Default, out _, out _, out _);
        Assert.Throws<ArgumentOutOfRangeException>(() => decoder.Skip(3));
    }

    [Fact]
    public void A_smaller_chunk_line_limit_applies()
    {
        var limits = new HttpLimits { MaxChunkLine = 8 };
        Assert.Equal(ChunkStep.Done, ChunkRun.Decode(Bytes("1;abcdef\r\nx\r\n0\r\n\r\n"), limits).Step);
        Assert.Equal(400, ChunkRun.Decode(Bytes("1;abcdefg\r\nx\r\n0\r\n\r\n"), limits).Status);

        // Leading zeros are bounded by the line limit, not by the digit limit.
        Assert.Equal(ChunkStep.Invalid, ChunkRun.Decode(Bytes("000000001\r\n"), limits).Step);
        Assert.Equal(ChunkStep.NeedMore, ChunkRun.Decode(Bytes("00000001\r\n"), limits).Step);
    }
}

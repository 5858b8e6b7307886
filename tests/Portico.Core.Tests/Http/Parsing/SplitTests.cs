using Portico.Http.Parsing;
using static Portico.Core.Tests.Http.Parsing.Wire;

namespace Portico.Core.Tests.Http.Parsing;

/// <summary>
/// Every vector cut at every point: a head parser given a prefix says NeedMore or exactly what it says of the
/// whole (the engine parses again after each read), and the decoder gives the same result for any split.
/// </summary>
public sealed class SplitTests
{
    [Theory]
    [MemberData(nameof(RequestVectors.Names), MemberType = typeof(RequestVectors))]
    public void Every_prefix_of_a_request_vector_agrees_with_the_whole(string name)
    {
        var wire = Bytes(RequestVectors.Named(name).Wire);
        var head = new RequestHead();
        var whole = RequestParser.Parse(wire, HttpLimits.Default, head);
        var (status, length) = (head.Error.Status, head.HeadLength);
        for (var k = 0; k <= wire.Length; k++)
        {
            var outcome = RequestParser.Parse(wire.AsSpan(0, k), HttpLimits.Default, head);
            Check(k, whole, status, length, outcome, head.Error.Status, head.HeadLength);
        }
    }

    [Theory]
    [MemberData(nameof(ResponseVectors.Names), MemberType = typeof(ResponseVectors))]
    public void Every_prefix_of_a_response_vector_agrees_with_the_whole(string name)
    {
        var vector = ResponseVectors.Named(name);
        var wire = Bytes(vector.Wire);
        var head = new ResponseHead();
        var isHead = ResponseVectors.ForHead(vector);
        var whole = ResponseParser.Parse(wire, HttpLimits.Default, isHead, head);
        var (status, length) = (head.Error.Status, head.HeadLength);
        for (var k = 0; k <= wire.Length; k++)
        {
            var outcome = ResponseParser.Parse(wire.AsSpan(0, k), HttpLimits.Default, isHead, head);
            Check(k, whole, status, length, outcome, head.Error.Status, head.HeadLength);
        }
    }

    [Theory]
    [MemberData(nameof(ChunkVectors.Names), MemberType = typeof(ChunkVectors))]
    public void A_chunked_vector_decodes_the_same_for_every_split_and_byte_at_a_time(string name)
    {
        var wire = Bytes(ChunkVectors.Named(name).Wire);
        var whole = ChunkRun.Decode(wire, HttpLimits.Default);
        Assert.Equal(whole, ChunkRun.ByteAtATime(wire, HttpLimits.Default));
        var step = wire.Length > 2000 ? 97 : 1;
        for (var k = 0; k <= wire.Length; k += step)
        {
            Assert.Equal(whole, ChunkRun.Decode(wire, HttpLimits.Default, k));
        }
    }

    internal static void Check(int k, ParseOutcome whole, int status, int length, ParseOutcome outcome, int prefixStatus, int prefixLength)
    {
        if (whole == ParseOutcome.Complete && k >= length)
        {
            Assert.True(outcome == ParseOutcome.Complete && prefixLength == length, $"prefix {k}: {outcome}, head {prefixLength} of {length}");
        }
        else if (outcome != ParseOutcome.NeedMore)
        {
            Assert.True(outcome == whole && prefixStatus == status, $"prefix {k}: {outcome} {prefixStatus}, whole: {whole} {status}");
        }
    }
}

using Portico.Http.Parsing;
using static Portico.Core.Tests.Http.Parsing.Wire;

namespace Portico.Core.Tests.Http.Parsing;

/// <summary>
/// Bounded, seeded mutation fuzzing: the parsers never throw (so never index outside the buffer, which spans
/// would turn into an exception), and whatever they accept is self-consistent.
/// </summary>
public sealed class FuzzTests
{
    private const int Rounds = 3000;

    private static readonly string[] Requests =
    [
        "GET /a?b=c HTTP/1.1\r\nHost: www.a.test\r\nCookie: x=1; y=2\r\nConnection: keep-alive, X-A\r\nX-A: 1\r\n\r\n",
        "POST /p HTTP/1.1\r\nHost: a:8080\r\nContent-Length: 12\r\nExpect: 100-continue\r\n\r\nhello world!",
        "PUT http://a/x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
        "\r\nOPTIONS * HTTP/1.0\r\nConnection: keep-alive\r\n\r\n",
        "CONNECT a:443 HTTP/1.1\r\nHost: a:443\r\nUpgrade: x\r\nConnection: upgrade\r\n\r\n",
    ];

    private static readonly string[] Responses =
    [
        "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nSet-Cookie: a=b\r\n\r\nhello",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n",
        "HTTP/1.0 404 Not Found\r\nConnection: keep-alive\r\n\r\n",
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n",
        "HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n",
    ];

    private static readonly string[] Bodies =
    [
        "5\r\nhello\r\n6;ext=\"q\\\"x\"\r\n world\r\n0\r\nX-T: 1\r\n\r\n",
        "00a;a;b=c\r\n0123456789\r\n0\r\n\r\n",
    ];

    private static readonly byte[] Specials = Bytes("\r\n \t:;,=\"\\0aF/?#@\u0000\u0001\u000b\u007f\u0080\u00ff");

    private static readonly int[] RequestStatuses = [400, 413, 414, 417, 431, 501, 505];

    [Fact]
    public void Mutated_requests_never_throw_and_accepted_heads_are_consistent()
    {
        var random = new Random(16);
        var head = new RequestHead();
        var limits = new HttpLimits { MaxRequestLine = 200, MaxFieldLine = 200, MaxHead = 400, MaxFields = 8 };
        for (var i = 0; i < Rounds; i++)
        {
            var wire = Mutate(random, Bytes(Requests[random.Next(Requests.Length)]));
            var outcome = RequestParser.Parse(wire, limits, head);
            if (outcome == ParseOutcome.Complete)
            {
                CheckRequest(wire, head, limits);
                var length = head.HeadLength;
                Assert.Equal(ParseOutcome.Complete, RequestParser.Parse(wire.AsSpan(0, length), limits, head));
                Assert.Equal(length, head.HeadLength);
            }
            else if (outcome == ParseOutcome.Invalid)
            {
                Assert.Contains(head.Error.Status, RequestStatuses);
                Assert.False(string.IsNullOrEmpty(head.Error.Reason));
            }

            var status = head.Error.Status;
            var headLength = head.HeadLength;
            var k = random.Next(wire.Length + 1);
            var prefix = RequestParser.Parse(wire.AsSpan(0, k), limits, head);
            SplitTests.Check(k, outcome, status, headLength, prefix, head.Error.Status, head.HeadLength);
        }
    }

    [Fact]
    public void Mutated_responses_never_throw_and_accepted_heads_are_consistent()
    {
        var random = new Random(502);
        var head = new ResponseHead();
        for (var i = 0; i < Rounds; i++)
        {
            var wire = Mutate(random, Bytes(Responses[random.Next(Responses.Length)]));
            var wasHead = random.Next(4) == 0;
            var outcome = ResponseParser.Parse(wire, HttpLimits.Default, wasHead, head);
            if (outcome == ParseOutcome.Complete)
            {
                Assert.InRange(head.HeadLength, 1, wire.Length);
                Assert.InRange(head.Status, 100, 599);
                Assert.InRange(head.Minor, 0, 1);
                Inside(head.Reason, head.HeadLength);
                Assert.InRange(head.FieldCount, 0, HttpLimits.Default.MaxFields);
                foreach (var f in head.Fields)
                {
                    Inside(f.Name, head.HeadLength);
                    Inside(f.Value, head.HeadLength);
                }

                Assert.True(!wasHead || head.Framing == BodyFraming.None);
                Assert.True(head.Framing != BodyFraming.CloseDelimited || !head.KeepAlive);
            }
            else if (outcome == ParseOutcome.Invalid)
            {
                Assert.Equal(502, head.Error.Status);
            }
        }
    }

    [Fact]
    public void Mutated_chunked_bodies_never_throw_and_decode_the_same_whole_and_split()
    {
        var random = new Random(7);
        for (var i = 0; i < Rounds; i++)
        {
            var wire = Mutate(random, Bytes(Bodies[random.Next(Bodies.Length)]));
            var whole = ChunkRun.Decode(wire, HttpLimits.Default);
            Assert.True(whole.Step != ChunkStep.Done || whole.Consumed <= wire.Length);
            Assert.Equal(whole, ChunkRun.Decode(wire, HttpLimits.Default, random.Next(wire.Length + 1)));
            if (i % 10 == 0)
            {
                Assert.Equal(whole, ChunkRun.ByteAtATime(wire, HttpLimits.Default));
            }
        }
    }

    private static void CheckRequest(byte[] wire, RequestHead head, HttpLimits limits)
    {
        var n = head.HeadLength;
        Assert.InRange(n, 1, Math.Min(wire.Length, limits.MaxHead));
        Inside(head.Method, n);
        Inside(head.Target, n);
        Inside(head.PathAndQuery, n);
        Inside(head.Authority, n);
        Inside(head.Host, n);
        Assert.InRange(head.Minor, 0, 1);
        Assert.InRange(head.FieldCount, 0, limits.MaxFields);
        Assert.True(head.ContentLength >= 0);
        Assert.True(head.Minor == 0 || head.HasHost);
        Assert.True(head.Framing != BodyFraming.Chunked || head.Field(wire, FieldKind.TransferEncoding) is not null);
        Assert.True(head.Framing != BodyFraming.ContentLength || head.Field(wire, FieldKind.ContentLength) is not null);
        foreach (var f in head.Fields)
        {
            Inside(f.Name, n);
            Inside(f.Value, n);
            Assert.True(f.Name.End.Value > f.Name.Start.Value);
        }
    }

    private static void Inside(Range r, int length)
    {
        Assert.False(r.Start.IsFromEnd || r.End.IsFromEnd);
        Assert.InRange(r.Start.Value, 0, length);
        Assert.InRange(r.End.Value, r.Start.Value, length);
    }

    /// <summary>One to four edits: replace, insert or delete a byte, or duplicate or drop a slice.</summary>
    private static byte[] Mutate(Random random, byte[] message)
    {
        var bytes = new List<byte>(message);
        for (var edits = random.Next(1, 5); edits > 0 && bytes.Count > 0; edits--)
        {
            var at = random.Next(bytes.Count);
            var b = random.Next(3) == 0 ? (byte)random.Next(256) : Specials[random.Next(Specials.Length)];
            switch (random.Next(5))
            {
                case 0:
                    bytes[at] = b;
                    break;
                case 1:
                    bytes.Insert(at, b);
                    break;
                case 2:
                    bytes.RemoveAt(at);
                    break;
                case 3:
                    var len = random.Next(1, Math.Min(12, bytes.Count - at) + 1);
                    bytes.InsertRange(at, bytes.GetRange(at, len));
                    break;
                default:
                    bytes.RemoveRange(at, random.Next(1, Math.Min(12, bytes.Count - at) + 1));
                    break;
            }
        }

        return [.. bytes];
    }
}

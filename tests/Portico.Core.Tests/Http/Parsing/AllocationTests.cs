using Portico.Http.Parsing;
using static Portico.Core.Tests.Http.Parsing.Wire;

namespace Portico.Core.Tests.Http.Parsing;

/// <summary>The success path allocates nothing: heads are reused, errors are static strings (a byte count, not a timing).</summary>
public sealed class AllocationTests
{
    [Fact]
    public void Parsing_a_request_a_response_and_a_chunked_body_allocates_nothing()
    {
        var request = Bytes("POST http://a.test/p?q HTTP/1.1\r\nHost: a.test\r\nCookie: a=1; sid=2\r\nConnection: keep-alive, X-A\r\nX-A: 1\r\nTransfer-Encoding: chunked\r\n\r\n");
        var response = Bytes("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nSet-Cookie: a=b\r\n\r\n");
        var body = Bytes("5;x=\"y\"\r\nhello\r\n0\r\nT: 1\r\n\r\n");
        var requestHead = new RequestHead();
        var responseHead = new ResponseHead();
        var invalid = Bytes("GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 1, 1\r\n\r\n");

        var ok = true;
        void Run()
        {
            // No Assert inside: xunit's assertions allocate; the results are folded into one flag instead.
            ok &= RequestParser.Parse(request, HttpLimits.Default, requestHead) == ParseOutcome.Complete;
            ok &= requestHead.TryGetCookie(request, "sid"u8, out _);
            ok &= requestHead.Field(request, FieldKind.Host).HasValue;
            ok &= RequestParser.Parse(invalid, HttpLimits.Default, requestHead) == ParseOutcome.Invalid;
            ok &= ResponseParser.Parse(response, HttpLimits.Default, false, responseHead) == ParseOutcome.Complete;
            var decoder = default(ChunkedDecoder);
            ReadOnlySpan<byte> rest = body;
            ChunkStep step;
            while ((step = decoder.Next(rest, HttpLimits.Default, out var consumed, out _, out _)) == ChunkStep.Data)
            {
                rest = rest[consumed..];
            }

            ok &= step == ChunkStep.Done;
        }

        Run();
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            Run();
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(ok);
        Assert.Equal(0, allocated);
    }
}

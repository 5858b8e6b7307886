using Portico.Http.Parsing;
using static Portico.Core.Tests.Http.Parsing.Wire;

namespace Portico.Core.Tests.Http.Parsing;

/// <summary>Limits are refused on incomplete input, as soon as the byte beyond them has arrived (rows 7, 16).</summary>
public sealed class LimitTests
{
    private static readonly HttpLimits Small = new() { MaxRequestLine = 64, MaxFieldLine = 32, MaxHead = 256, MaxFields = 4 };

    [Theory]
    [InlineData(64, ParseOutcome.NeedMore, 0)]
    [InlineData(65, ParseOutcome.Invalid, 414)]
    public void A_request_line_without_its_end(int bytes, ParseOutcome outcome, int status)
    {
        var head = new RequestHead();
        Assert.Equal(outcome, RequestParser.Parse(Bytes("GET /" + new string('a', bytes - 5)), Small, head));
        Assert.Equal(status, head.Error.Status);
    }

    [Fact]
    public void A_request_line_at_its_limit_waiting_for_the_lf_is_not_refused()
    {
        var head = new RequestHead();
        Assert.Equal(ParseOutcome.NeedMore, RequestParser.Parse(Bytes("GET /" + new string('a', 59) + "\r"), Small, head));
    }

    [Fact]
    public void Default_limits_refuse_an_endless_request_line_with_414()
    {
        var head = new RequestHead();
        Assert.Equal(ParseOutcome.Invalid, RequestParser.Parse(Bytes("GET /" + new string('a', 8200)), HttpLimits.Default, head));
        Assert.Equal(414, head.Error.Status);
    }

    [Theory]
    [InlineData(32, ParseOutcome.NeedMore, 0)]
    [InlineData(33, ParseOutcome.Invalid, 431)]
    public void A_field_line_without_its_end(int bytes, ParseOutcome outcome, int status)
    {
        var head = new RequestHead();
        Assert.Equal(outcome, RequestParser.Parse(Bytes("GET / HTTP/1.1\r\nX: " + new string('v', bytes - 3)), Small, head));
        Assert.Equal(status, head.Error.Status);
    }

    [Fact]
    public void A_head_without_its_end()
    {
        var limits = Small with { MaxFields = 100 };
        var head = new RequestHead();
        var wire = "GET / HTTP/1.1\r\n" + string.Concat(Enumerable.Repeat("X: 0123456789\r\n", 20));
        Assert.Equal(ParseOutcome.Invalid, RequestParser.Parse(Bytes(wire), limits, head));
        Assert.Equal(431, head.Error.Status);
        Assert.Equal(ParseOutcome.NeedMore, RequestParser.Parse(Bytes(wire).AsSpan(0, 256), limits, head));
        Assert.Equal(ParseOutcome.Invalid, RequestParser.Parse(Bytes(wire).AsSpan(0, 257), limits, head));
    }

    [Fact]
    public void Too_many_fields_without_the_end_of_the_head()
    {
        var head = new RequestHead();
        Assert.Equal(ParseOutcome.NeedMore, RequestParser.Parse(Bytes("GET / HTTP/1.1\r\nA: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\n"), Small, head));
        Assert.Equal(ParseOutcome.Invalid, RequestParser.Parse(Bytes("GET / HTTP/1.1\r\nA: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\nE: 5\r\n"), Small, head));
        Assert.Equal(431, head.Error.Status);
    }

    [Fact]
    public void A_head_of_exactly_max_head_bytes_is_complete()
    {
        var fixedPart = "GET / HTTP/1.1\r\nHost: a\r\nX: \r\n\r\n".Length;
        var wire = "GET / HTTP/1.1\r\nHost: a\r\nX: " + new string('v', 256 - fixedPart) + "\r\n\r\n";
        var limits = Small with { MaxFieldLine = 1000 };
        var head = new RequestHead();
        Assert.Equal(ParseOutcome.Complete, RequestParser.Parse(Bytes(wire), limits, head));
        Assert.Equal(256, head.HeadLength);
        Assert.Equal(ParseOutcome.Invalid, RequestParser.Parse(Bytes(wire.Insert(30, "v")), limits, head));
        Assert.Equal(431, head.Error.Status);
    }

    [Fact]
    public void A_megabyte_without_a_line_end_is_refused_from_its_first_bytes()
    {
        var garbage = new byte[1 << 20];
        Array.Fill(garbage, (byte)'a');
        var head = new RequestHead();
        Assert.Equal(ParseOutcome.Invalid, RequestParser.Parse(garbage, HttpLimits.Default, head));
        Assert.Equal(414, head.Error.Status);
        var response = new ResponseHead();
        Assert.Equal(ParseOutcome.Invalid, ResponseParser.Parse(garbage, HttpLimits.Default, false, response));
        Assert.Equal(502, response.Error.Status);
    }

    [Fact]
    public void Response_limits_give_502_on_incomplete_input()
    {
        var head = new ResponseHead();
        Assert.Equal(ParseOutcome.Invalid, ResponseParser.Parse(Bytes("HTTP/1.1 200 OK\r\nX: " + new string('v', 40)), Small, false, head));
        Assert.Equal(502, head.Error.Status);
        Assert.Equal(ParseOutcome.NeedMore, ResponseParser.Parse(Bytes("HTTP/1.1 200 OK\r\nX: " + new string('v', 20)), Small, false, head));
    }

    [Fact]
    public void Empty_lines_count_toward_the_head_limit()
    {
        var limits = new HttpLimits { MaxHead = 40 };
        var head = new RequestHead();
        var wire = Bytes(string.Concat(Enumerable.Repeat("\r\n", 10)) + "GET / HTTP/1.1\r\nHost: a\r\n\r\n");
        Assert.Equal(ParseOutcome.Invalid, RequestParser.Parse(wire, limits, head));
        Assert.Equal(431, head.Error.Status);
    }

    [Fact]
    public void A_chunk_line_without_its_end()
    {
        var limits = new HttpLimits { MaxChunkLine = 16 };
        Assert.Equal(ChunkStep.NeedMore, ChunkRun.Decode(Bytes("5;" + new string('a', 14)), limits).Step);
        Assert.Equal(ChunkStep.Invalid, ChunkRun.Decode(Bytes("5;" + new string('a', 15)), limits).Step);
    }
}

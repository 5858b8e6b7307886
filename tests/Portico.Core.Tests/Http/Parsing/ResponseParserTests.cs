using Portico.Http.Parsing;
using static Portico.Core.Tests.Http.Parsing.Wire;

namespace Portico.Core.Tests.Http.Parsing;

/// <summary>Response vectors and what a valid response head hands the engine.</summary>
public sealed class ResponseParserTests
{
    [Theory]
    [MemberData(nameof(ResponseVectors.Names), MemberType = typeof(ResponseVectors))]
    public void Each_rule_vector_gives_its_outcome_and_status(string name)
    {
        var vector = ResponseVectors.Named(name);
        var head = new ResponseHead();
        var outcome = ResponseParser.Parse(Bytes(vector.Wire), HttpLimits.Default, ResponseVectors.ForHead(vector), head);
        Assert.True(outcome == vector.Outcome, $"{outcome} ({head.Error}), expected {vector.Outcome} {vector.Status}");
        Assert.Equal(vector.Status, head.Error.Status);
    }

    [Theory]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n", false, BodyFraming.ContentLength, true)]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", false, BodyFraming.Chunked, true)]
    [InlineData("HTTP/1.1 200 OK\r\n\r\n", false, BodyFraming.CloseDelimited, false)]
    [InlineData("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 1\r\n\r\n", false, BodyFraming.ContentLength, false)]
    [InlineData("HTTP/1.0 200 OK\r\nContent-Length: 1\r\n\r\n", false, BodyFraming.ContentLength, false)]
    [InlineData("HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 1\r\n\r\n", false, BodyFraming.ContentLength, true)]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n", true, BodyFraming.None, true)]
    [InlineData("HTTP/1.1 200 OK\r\n\r\n", true, BodyFraming.None, true)]
    [InlineData("HTTP/1.1 304 Not Modified\r\nContent-Length: 5\r\n\r\n", false, BodyFraming.None, true)]
    [InlineData("HTTP/1.1 204 No Content\r\n\r\n", false, BodyFraming.None, true)]
    public void Framing_and_keep_alive(string wire, bool head, BodyFraming framing, bool keepAlive)
    {
        var response = new ResponseHead();
        Assert.Equal(ParseOutcome.Complete, ResponseParser.Parse(Bytes(wire), HttpLimits.Default, head, response));
        Assert.Equal((framing, keepAlive), (response.Framing, response.KeepAlive));
    }

    [Fact]
    public void Status_reason_fields_and_informational()
    {
        var buffer = Bytes("HTTP/1.1 404 Not  Found\r\nServer: x\r\nSet-Cookie: a=b\r\nContent-Length: 0\r\n\r\nHTTP/1.1");
        var head = new ResponseHead();
        Assert.Equal(ParseOutcome.Complete, ResponseParser.Parse(buffer, HttpLimits.Default, false, head));
        Assert.Equal(404, head.Status);
        Assert.Equal("Not  Found", Text(buffer, head.Reason));
        Assert.Equal(buffer.Length - 8, head.HeadLength);
        Assert.Equal("a=b", Text(buffer, head.Field(buffer, FieldKind.SetCookie)!.Value));
        Assert.Equal(FieldKind.Server, head.Fields[0].Kind);
        Assert.False(head.Informational);

        Assert.Equal(ParseOutcome.Complete, ResponseParser.Parse(Bytes("HTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n"), HttpLimits.Default, false, head));
        Assert.True(head.Informational);
        Assert.Equal(BodyFraming.None, head.Framing);

        Assert.Equal(ParseOutcome.Complete, ResponseParser.Parse(Bytes("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n"), HttpLimits.Default, false, head));
        Assert.False(head.Informational);
        Assert.True(head.Upgrade);

        buffer = Bytes("HTTP/1.1 200\r\n\r\n");
        Assert.Equal(ParseOutcome.Complete, ResponseParser.Parse(buffer, HttpLimits.Default, false, head));
        Assert.Equal("", Text(buffer, head.Reason));
    }

    [Fact]
    public void A_response_to_head_keeps_its_content_length_for_forwarding()
    {
        var head = new ResponseHead();
        Assert.Equal(ParseOutcome.Complete, ResponseParser.Parse(Bytes("HTTP/1.1 200 OK\r\nContent-Length: 42\r\n\r\n"), HttpLimits.Default, true, head));
        Assert.Equal((BodyFraming.None, 42L), (head.Framing, head.ContentLength));
    }
}

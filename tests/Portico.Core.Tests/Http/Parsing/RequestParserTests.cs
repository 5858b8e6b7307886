using Portico.Http.Parsing;
using static Portico.Core.Tests.Http.Parsing.Wire;

namespace Portico.Core.Tests.Http.Parsing;

/// <summary>Every request row of the rules as a vector, then what a well-formed request hands the engine.</summary>
public sealed class RequestParserTests
{
    [Theory]
    [MemberData(nameof(RequestVectors.Names), MemberType = typeof(RequestVectors))]
    public void Each_rule_vector_gives_its_outcome_and_status(string name)
    {
        var vector = RequestVectors.Named(name);
        var head = new RequestHead();
        var outcome = RequestParser.Parse(Bytes(vector.Wire), HttpLimits.Default, head);
        Assert.True(outcome == vector.Outcome, $"{outcome} ({head.Error}), expected {vector.Outcome} {vector.Status}");
        Assert.Equal(vector.Status, head.Error.Status);
        if (outcome == ParseOutcome.Invalid)
        {
            Assert.False(string.IsNullOrEmpty(head.Error.Reason));
        }
    }

    [Fact]
    public void A_simple_get_gives_ranges_into_the_buffer()
    {
        var buffer = Bytes("GET /p?q=1 HTTP/1.1\r\nHost: www.a.test\r\nX-Y:  v 1 \t\r\n\r\nNEXT");
        var head = new RequestHead();
        Assert.Equal(ParseOutcome.Complete, RequestParser.Parse(buffer, HttpLimits.Default, head));
        Assert.Equal(buffer.Length - 4, head.HeadLength);
        Assert.Equal("GET", Text(buffer, head.Method));
        Assert.Equal(KnownMethod.Get, head.KnownMethod);
        Assert.Equal("/p?q=1", Text(buffer, head.Target));
        Assert.Equal("/p?q=1", Text(buffer, head.PathAndQuery));
        Assert.Equal(TargetForm.Origin, head.Form);
        Assert.Equal(1, head.Minor);
        Assert.True(head.HasHost);
        Assert.Equal("www.a.test", Text(buffer, head.Host));
        Assert.Equal(BodyFraming.None, head.Framing);
        Assert.True(head.KeepAlive);
        Assert.Equal(2, head.FieldCount);
        Assert.Equal("X-Y", Text(buffer, head.Fields[1].Name));
        Assert.Equal("v 1", Text(buffer, head.Fields[1].Value));
        Assert.Equal(FieldKind.Host, head.Fields[0].Kind);
        Assert.False(head.Fields[1].HopByHop);
    }

    [Fact]
    public void Framing_is_content_length_or_chunked()
    {
        var head = new RequestHead();
        var buffer = Bytes(Post("Content-Length: 007\r\n"));
        Assert.Equal(ParseOutcome.Complete, RequestParser.Parse(buffer, HttpLimits.Default, head));
        Assert.Equal(BodyFraming.ContentLength, head.Framing);
        Assert.Equal(7, head.ContentLength);
        Assert.True(head.Fields[1].HopByHop);

        buffer = Bytes(Post("Transfer-Encoding: Chunked \r\n"));
        Assert.Equal(ParseOutcome.Complete, RequestParser.Parse(buffer, HttpLimits.Default, head));
        Assert.Equal(BodyFraming.Chunked, head.Framing);

        buffer = Bytes(Post("Content-Length: 0\r\n"));
        Assert.Equal(ParseOutcome.Complete, RequestParser.Parse(buffer, HttpLimits.Default, head));
        Assert.Equal(BodyFraming.ContentLength, head.Framing);
        Assert.Equal(0, head.ContentLength);
    }

    [Theory]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\n\r\n", true)]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nConnection: Close\r\n\r\n", false)]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nConnection: keep-alive, close\r\n\r\n", false)]
    [InlineData("GET / HTTP/1.0\r\n\r\n", false)]
    [InlineData("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n", true)]
    [InlineData("GET / HTTP/1.0\r\nConnection: keep-alive\r\nConnection: close\r\n\r\n", false)]
    public void Keep_alive_follows_the_version_and_connection(string wire, bool keepAlive)
    {
        var head = new RequestHead();
        Assert.Equal(ParseOutcome.Complete, RequestParser.Parse(Bytes(wire), HttpLimits.Default, head));
        Assert.Equal(keepAlive, head.KeepAlive);
    }

    [Fact]
    public void Absolute_form_gives_the_authority_and_the_path()
    {
        var buffer = Bytes("GET http://A:80?x=1 HTTP/1.1\r\nHost: a\r\n\r\n");
        var head = new RequestHead();
        Assert.Equal(ParseOutcome.Complete, RequestParser.Parse(buffer, HttpLimits.Default, head));
        Assert.Equal(TargetForm.Absolute, head.Form);
        Assert.Equal("A:80", Text(buffer, head.Authority));
        Assert.Equal("?x=1", Text(buffer, head.PathAndQuery));
        Assert.Equal("a", Text(buffer, head.Host));

        buffer = Bytes("GET http://b.test HTTP/1.0\r\n\r\n");
        Assert.Equal(ParseOutcome.Complete, RequestParser.Parse(buffer, HttpLimits.Default, head));
        Assert.Equal("", Text(buffer, head.PathAndQuery));
        Assert.False(head.HasHost);
        Assert.Equal("b.test", Text(buffer, head.Host));
    }

    [Fact]
    public void Other_forms_are_recognised()
    {
        var head = new RequestHead();
        var buffer = Bytes("OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n");
        Assert.Equal(ParseOutcome.Complete, RequestParser.Parse(buffer, HttpLimits.Default, head));
        Assert.Equal((TargetForm.Asterisk, KnownMethod.Options), (head.Form, head.KnownMethod));

        buffer = Bytes("CONNECT a:443 HTTP/1.1\r\nHost: a\r\n\r\n");
        Assert.Equal(ParseOutcome.Complete, RequestParser.Parse(buffer, HttpLimits.Default, head));
        Assert.Equal((TargetForm.Authority, KnownMethod.Connect), (head.Form, head.KnownMethod));
        Assert.Equal("a:443", Text(buffer, head.Authority));
    }

    [Fact]
    public void Connection_options_make_the_named_fields_hop_by_hop()
    {
        var buffer = Bytes(Get("X-Foo: 1\r\nConnection: close, x-foo\r\nKeep-Alive: 5\r\nProxy-Connection: x\r\nTE: trailers\r\nTrailer: x\r\nUpgrade: h2c\r\nX-Bar: 2\r\n"));
        var head = new RequestHead();
        Assert.Equal(ParseOutcome.Complete, RequestParser.Parse(buffer, HttpLimits.Default, head));
        var hop = new List<string>();
        foreach (var f in head.Fields)
        {
            if (f.HopByHop)
            {
                hop.Add(Text(buffer, f.Name));
            }
        }

        Assert.Equal(["X-Foo", "Connection", "Keep-Alive", "Proxy-Connection", "TE", "Trailer", "Upgrade"], hop);
        Assert.False(head.Upgrade); // Upgrade without the "upgrade" connection option is no upgrade
        Assert.False(head.KeepAlive);
    }

    [Fact]
    public void Upgrade_and_expect_are_reported()
    {
        var head = new RequestHead();
        Assert.Equal(ParseOutcome.Complete, RequestParser.Parse(Bytes(Get("Connection: upgrade\r\nUpgrade: websocket\r\n")), HttpLimits.Default, head));
        Assert.True(head.Upgrade);
        Assert.Equal(ParseOutcome.Complete, RequestParser.Parse(Bytes(Post("Content-Length: 3\r\nExpect: 100-continue\r\n")), HttpLimits.Default, head));
        Assert.True(head.ExpectContinue);
        Assert.True(head.Fields[2].HopByHop);
        Assert.Equal(ParseOutcome.Complete, RequestParser.Parse(Bytes("POST / HTTP/1.0\r\nContent-Length: 3\r\nExpect: 100-continue\r\n\r\n"), HttpLimits.Default, head));
        Assert.False(head.ExpectContinue);
    }

    [Fact]
    public void Field_and_cookie_lookups_return_value_ranges()
    {
        var buffer = Bytes(Get("Cookie: a=1; sid=xyz\r\nX-Forwarded-For: 1.2.3.4\r\ncookie: t = \"q\" ;sid2=no\r\n"));
        var head = new RequestHead();
        Assert.Equal(ParseOutcome.Complete, RequestParser.Parse(buffer, HttpLimits.Default, head));
        Assert.Equal("1.2.3.4", Text(buffer, head.Field(buffer, FieldKind.XForwardedFor)!.Value));
        Assert.Equal("1.2.3.4", Text(buffer, head.Field(buffer, "x-forwarded-FOR"u8)!.Value));
        Assert.Null(head.Field(buffer, FieldKind.Date));
        Assert.True(head.TryGetCookie(buffer, "sid"u8, out var sid));
        Assert.Equal("xyz", Text(buffer, sid));
        Assert.True(head.TryGetCookie(buffer, "t"u8, out var t));
        Assert.Equal("\"q\"", Text(buffer, t));
        Assert.True(head.TryGetCookie(buffer, "sid2"u8, out var sid2));
        Assert.Equal("no", Text(buffer, sid2));
        Assert.False(head.TryGetCookie(buffer, "SID"u8, out _));
        Assert.False(head.TryGetCookie(buffer, "x"u8, out _));
    }

    [Fact]
    public void A_reused_head_forgets_the_previous_request()
    {
        var head = new RequestHead();
        Assert.Equal(ParseOutcome.Complete, RequestParser.Parse(Bytes(Post("Content-Length: 5\r\nConnection: upgrade\r\nUpgrade: x\r\n")), HttpLimits.Default, head));
        Assert.Equal(ParseOutcome.Invalid, RequestParser.Parse(Bytes("GET / HTTP/2.0\r\n\r\n"), HttpLimits.Default, head));
        Assert.Equal(505, head.Error.Status);
        Assert.Equal(ParseOutcome.Complete, RequestParser.Parse(Bytes(Get()), HttpLimits.Default, head));
        Assert.Equal((BodyFraming.None, 0L, false, 1, 0), (head.Framing, head.ContentLength, head.Upgrade, head.FieldCount, head.Error.Status));
    }

    [Fact]
    public void Larger_field_limits_than_the_array_grow_it_once()
    {
        var limits = new HttpLimits { MaxFields = 300 };
        var head = new RequestHead();
        var wire = "GET / HTTP/1.1\r\n" + string.Concat(Enumerable.Repeat("X: y\r\n", 299)) + "Host: a\r\n\r\n";
        Assert.Equal(ParseOutcome.Complete, RequestParser.Parse(Bytes(wire), limits, head));
        Assert.Equal(300, head.FieldCount);
    }
}

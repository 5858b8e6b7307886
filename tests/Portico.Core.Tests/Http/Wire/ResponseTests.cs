using Portico.Testing;

namespace Portico.Core.Tests.Http.Wire;

/// <summary>
/// What the client receives (decisions.md, "Responses"): an invalid response head from the server is a 502 page
/// and the member's <c>L7RSP not an HTTP response</c>; close-delimited bodies are re-framed; 1xx are not forwarded;
/// HEAD, 204 and 304 carry no body; hop-by-hop fields stay on the server's hop.
/// </summary>
public class ResponseTests
{
    public static TheoryData<string, string> InvalidResponses => new()
    {
        { "TE and CL", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n5\r\nhello\r\n0\r\n\r\n" },
        { "CL and TE", "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n" },
        { "obs-fold", "HTTP/1.1 200 OK\r\nX-A: a\r\n b\r\nContent-Length: 5\r\n\r\nhello" },
        { "CL abc", "HTTP/1.1 200 OK\r\nContent-Length: abc\r\n\r\nhello" },
        { "CL +5", "HTTP/1.1 200 OK\r\nContent-Length: +5\r\n\r\nhello" },
        { "differing CL lines", "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!" },
        { "CL 5, 6", "HTTP/1.1 200 OK\r\nContent-Length: 5, 6\r\n\r\nhello!" },
        { "CL on 204", "HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\nhello" },
        { "TE on 204", "HTTP/1.1 204 No Content\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n" },
        { "space before the colon", "HTTP/1.1 200 OK\r\nContent-Length : 5\r\n\r\nhello" },
        { "NUL in a value", "HTTP/1.1 200 OK\r\nX-A: a\0b\r\nContent-Length: 5\r\n\r\nhello" },
        { "bare LF", "HTTP/1.1 200 OK\nContent-Length: 5\n\nhello" },
        { "TE gzip (not chunked last)", "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\nhello" },
        { "not a status line", "HTTX/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello" },
    };

    [Theory]
    [MemberData(nameof(InvalidResponses))]
    public async Task An_invalid_response_head_gives_the_client_a_502_page_and_the_member_an_L7RSP(string vector, string response)
    {
        await using var setup = await WireSetup.StartAsync();
        setup.Backend.Reply = BackendReplies.Raw(Wire.Bytes(response));
        var exchange = await setup.SendAsync(Wire.Bytes("GET /r HTTP/1.1\r\nHost: x\r\n\r\n"), finalResponses: 1);
        var why = $"backend sent '{RawClient.Escape(Wire.Bytes(response))}' ({vector}), the client got {exchange}";
        Assert.True(exchange.First is { Status: 502 }, why);
        Assert.Contains("502 Bad Gateway", exchange.First!.BodyText, StringComparison.Ordinal);
        Assert.DoesNotContain("hello", exchange.First.BodyText, StringComparison.Ordinal);
        Assert.Equal(1, Interlocked.Read(ref setup.Host.Engine.Runtime.Vservers["v"].Counters.Errors502));
        var shown = (await setup.Host.MustApplyAsync("show service s1")).Describe();
        Assert.True(shown.Contains("L7RSP not an HTTP response", StringComparison.Ordinal), $"{why}\nshow service s1:\n{shown}");
    }

    [Fact]
    public async Task A_close_delimited_response_reaches_an_http11_client_chunked_on_a_connection_that_stays_usable()
    {
        await using var setup = await WireSetup.StartAsync();
        setup.Backend.Reply = BackendReplies.CloseDelimited;
        var exchange = await setup.SendAsync(Wire.Bytes("GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\n\r\n"), finalResponses: 2);
        Assert.True(exchange.Responses.Count == 2, exchange.ToString());
        Assert.All(exchange.Responses, r => Assert.True(r.Status == 200 && r.Chunked && !r.Has("Content-Length"), r.ToString()));
        Assert.Equal(BackendReplies.BodyOf(setup.Backend.RequestsFor("/a").Single()), exchange.Responses[0].BodyText);
        Assert.Equal(BackendReplies.BodyOf(setup.Backend.RequestsFor("/b").Single()), exchange.Responses[1].BodyText);
    }

    [Fact]
    public async Task A_close_delimited_response_reaches_an_http10_client_close_delimited()
    {
        await using var setup = await WireSetup.StartAsync();
        setup.Backend.Reply = BackendReplies.CloseDelimited;
        var exchange = await setup.SendAsync("GET /ten HTTP/1.0\r\nHost: x\r\n\r\n");
        var response = Assert.Single(exchange.Responses);
        Assert.True(response.Status == 200 && !response.Has("Transfer-Encoding") && exchange.Closed, exchange.ToString());
        Assert.Equal(BackendReplies.BodyOf(setup.Backend.RequestsFor("/ten").Single()), response.BodyText);
    }

    [Fact]
    public async Task A_chunked_response_is_re_emitted_byte_exact()
    {
        await using var setup = await WireSetup.StartAsync();
        setup.Backend.Reply = BackendReplies.Chunked;
        var exchange = await setup.SendAsync(Wire.Bytes("GET /c HTTP/1.1\r\nHost: x\r\n\r\n"), finalResponses: 1);
        Assert.Equal(BackendReplies.BodyOf(setup.Backend.RequestsFor("/c").Single()), exchange.First?.BodyText);
    }

    [Fact]
    public async Task Interim_responses_other_than_101_are_not_forwarded()
    {
        await using var setup = await WireSetup.StartAsync();
        setup.Backend.Reply = BackendReplies.Raw(Wire.Bytes(
            "HTTP/1.1 103 Early Hints\r\nLink: </s.css>; rel=preload\r\n\r\nHTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"));
        var exchange = await setup.SendAsync(Wire.Bytes("GET /hints HTTP/1.1\r\nHost: x\r\n\r\n"), finalResponses: 1);
        var response = Assert.Single(exchange.Responses);
        Assert.Equal(200, response.Status);
        Assert.Equal("ok", response.BodyText);
    }

    [Fact]
    public async Task HEAD_204_and_304_answers_carry_no_body_and_the_next_pipelined_request_is_answered()
    {
        await using var setup = await WireSetup.StartAsync();
        var exchange = await setup.SendAsync(Wire.Bytes("HEAD /h HTTP/1.1\r\nHost: x\r\n\r\nGET /after HTTP/1.1\r\nHost: x\r\n\r\n"), new HashSet<int> { 0 }, finalResponses: 2);
        Assert.True(exchange.Responses.Count == 2 && exchange.Responses[0].Body.Length == 0 && exchange.ParseError is null, exchange.ToString());
        Assert.Equal(BackendReplies.BodyOf(setup.Backend.RequestsFor("/h").Single()).Length.ToString(System.Globalization.CultureInfo.InvariantCulture),
            exchange.Responses[0].Field("Content-Length"));
        Assert.Equal(BackendReplies.BodyOf(setup.Backend.RequestsFor("/after").Single()), exchange.Responses[1].BodyText);

        foreach (var status in new[] { "204 No Content", "304 Not Modified" })
        {
            setup.Backend.Reply = async (request, connection) =>
            {
                var text = request.Target == "/empty" ? $"HTTP/1.1 {status}\r\nX-Request: {request.Seq}\r\n\r\n"
                    : $"HTTP/1.1 200 OK\r\nContent-Length: {BackendReplies.BodyOf(request).Length}\r\n\r\n{BackendReplies.BodyOf(request)}";
                await connection.WriteAsync(Wire.Bytes(text));
                return true;
            };
            var empty = await setup.SendAsync(Wire.Bytes("GET /empty HTTP/1.1\r\nHost: x\r\n\r\nGET /next HTTP/1.1\r\nHost: x\r\n\r\n"), finalResponses: 2);
            Assert.True(empty.Responses.Count == 2 && empty.Responses[0].StatusLine.Contains(status[..3], StringComparison.Ordinal)
                && !empty.Responses[0].Has("Transfer-Encoding") && empty.ParseError is null, empty.ToString());
            Assert.Equal(BackendReplies.BodyOf(setup.Backend.RequestsFor("/next")[^1]), empty.Responses[1].BodyText);
        }
    }

    [Fact]
    public async Task Hop_by_hop_response_fields_stay_on_the_server_hop()
    {
        await using var setup = await WireSetup.StartAsync();
        setup.Backend.Reply = BackendReplies.Raw(Wire.Bytes(
            "HTTP/1.1 200 OK\r\nConnection: X-Hop\r\nKeep-Alive: timeout=5\r\nX-Hop: 1\r\nProxy-Connection: keep-alive\r\nX-End: 2\r\nContent-Length: 2\r\n\r\nok"));
        var exchange = await setup.SendAsync(Wire.Bytes("GET /hop HTTP/1.1\r\nHost: x\r\n\r\n"), finalResponses: 1);
        var response = Assert.Single(exchange.Responses);
        Assert.Equal("2", response.Field("X-End"));
        foreach (var name in new[] { "X-Hop", "Keep-Alive", "Proxy-Connection" })
        {
            Assert.False(response.Has(name), $"{name} reached the client: {response}");
        }
    }

    [Fact]
    public async Task A_client_that_asks_to_close_gets_connection_close_and_the_close()
    {
        await using var setup = await WireSetup.StartAsync();
        var exchange = await setup.SendAsync("GET /bye HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        var response = Assert.Single(exchange.Responses);
        Assert.True(response.Status == 200 && response.SaysClose && exchange.Closed, exchange.ToString());
    }
}

namespace Portico.Core.Tests.Http.Wire;

/// <summary>Pipelined requests in one write: answered in order, each its own request at the backend; nothing after a refusal.</summary>
public class PipeliningTests(WireFixture fixture) : IClassFixture<WireFixture>
{
    [Fact]
    public async Task Requests_in_one_write_are_answered_in_order_and_each_reaches_the_backend_as_its_own_request()
    {
        var setup = fixture.Setup;
        var exchange = await setup.SendAsync(Wire.Bytes(
            "GET /p1 HTTP/1.1\r\nHost: x\r\n\r\n"
            + "POST /p2 HTTP/1.1\r\nHost: x\r\nContent-Length: 11\r\n\r\nGET /p9 xxx"
            + "POST /p3 HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n"
            + "HEAD /p4 HTTP/1.1\r\nHost: x\r\n\r\n"
            + "GET /p5 HTTP/1.1\r\nHost: x\r\n\r\n"), new HashSet<int> { 3 }, finalResponses: 5);
        Assert.True(exchange.Responses.Count == 5 && exchange.ParseError is null, exchange.ToString());
        string[] targets = ["/p1", "/p2", "/p3", "/p4", "/p5"];
        for (var i = 0; i < targets.Length; i++)
        {
            var seen = Assert.Single(setup.Backend.RequestsFor(targets[i]));
            Assert.Equal(seen.Seq.ToString(System.Globalization.CultureInfo.InvariantCulture), exchange.Responses[i].Field("X-Request"));
            if (i != 3)
            {
                Assert.Equal(Portico.Testing.BackendReplies.BodyOf(seen), exchange.Responses[i].BodyText);
            }
        }

        Assert.Equal("GET /p9 xxx", setup.Backend.RequestsFor("/p2").Single().BodyText);
        Assert.Equal("abc", setup.Backend.RequestsFor("/p3").Single().BodyText);
        Assert.Empty(setup.Backend.RequestsFor("/p9"));
        Assert.Empty(setup.Backend.Unframed);
    }

    [Fact]
    public async Task A_pipelined_request_after_a_refused_one_is_never_forwarded()
    {
        var setup = fixture.Setup;
        var errors = setup.ProtocolErrors;
        var exchange = await setup.SendAsync(
            "GET /q1 HTTP/1.1\r\nHost: x\r\n\r\n"
            + "GET /q2 HTTP/1.1\r\nHost: x\r\nHost: y\r\n\r\n"
            + "GET /q3 HTTP/1.1\r\nHost: x\r\n\r\n");
        Assert.True(exchange.Responses.Count == 2 && exchange.Responses[0].Status == 200 && exchange.Responses[1].Status == 400
            && exchange.Responses[1].SaysClose && exchange.Closed, exchange.ToString());
        Assert.Single(setup.Backend.RequestsFor("/q1"));
        Assert.Empty(setup.Backend.RequestsFor("/q2"));
        Assert.Empty(setup.Backend.RequestsFor("/q3"));
        Assert.True(await Portico.Testing.Eventually.TrueAsync(() => setup.ProtocolErrors == errors + 1, Portico.Testing.Eventually.Timeout));
    }

    [Fact]
    public async Task Nothing_after_a_refused_first_request_is_forwarded()
    {
        var setup = fixture.Setup;
        await setup.AssertRefusedAsync("refused, then a valid one", Wire.Bytes("G@T /r1 HTTP/1.1\r\nHost: x\r\n\r\nGET /r2 HTTP/1.1\r\nHost: x\r\n\r\n"), 400);
        Assert.Empty(setup.Backend.RequestsFor("/r2"));
    }
}

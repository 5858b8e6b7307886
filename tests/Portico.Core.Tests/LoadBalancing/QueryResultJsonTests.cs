using System.Text.Json;
using Portico.Core.Tests.Forwarding.Tcp;
using Portico.Testing;

namespace Portico.Core.Tests.LoadBalancing;

/// <summary>
/// Queries return data: what the CLI prints is rendered from the same object a REST client would get as
/// JSON, so a NITRO-style endpoint reads names, states and counters without parsing tables.
/// </summary>
public class QueryResultJsonTests
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    [Fact]
    public async Task Show_and_stat_results_serialise_to_json_with_the_fields_a_nitro_client_reads()
    {
        // Unprobed, so the member is UP at once and every connection is one a client made.
        await using var setup = await L4Setup.StartAsync(backends: 1, extra: "set service s1 -healthMonitor NO");
        Assert.Equal("b1", await TestClient.WhoAnswersAsync(setup.Vip));

        var result = await setup.Host.MustApplyAsync("show lb vserver\nshow service\nstat lb vserver\nshow lb vserver v\nstat lb vserver v");
        Assert.Equal(5, result.Results.Count);
        Assert.Equal(result.Output, result.Results.Select(r => r.ToText()));
        var json = result.Results.Select(r => JsonDocument.Parse(JsonSerializer.Serialize(r, r.GetType(), Web)).RootElement).ToList();

        var vserver = Assert.Single(json[0].GetProperty("vservers").EnumerateArray());
        Assert.Equal("v", vserver.GetProperty("name").GetString());
        Assert.Equal("TCP", vserver.GetProperty("type").GetString());
        Assert.Equal("UP", vserver.GetProperty("state").GetString());
        Assert.Equal($"127.0.0.1:{setup.Vip.Port}", vserver.GetProperty("endpoint").GetString());
        Assert.Equal((1, 1), (vserver.GetProperty("servicesUp").GetInt32(), vserver.GetProperty("servicesTotal").GetInt32()));

        var service = Assert.Single(json[1].GetProperty("services").EnumerateArray());
        Assert.Equal("s1", service.GetProperty("name").GetString());
        Assert.Equal("UP", service.GetProperty("state").GetString());
        Assert.Equal($"127.0.0.1:{setup.Backends[0].Port}", service.GetProperty("endpoint").GetString());
        Assert.Equal("off", service.GetProperty("monitors").GetString());

        var stats = Assert.Single(json[2].GetProperty("vservers").EnumerateArray());
        Assert.Equal(("v", "UP"), (stats.GetProperty("name").GetString(), stats.GetProperty("state").GetString()));
        Assert.Equal(1, stats.GetProperty("totalConnections").GetInt64());
        Assert.Equal(0, stats.GetProperty("denied").GetInt64());

        var member = Assert.Single(json[3].GetProperty("members").EnumerateArray());
        Assert.Equal(("s1", "UP", 1), (member.GetProperty("name").GetString(), member.GetProperty("state").GetString(), member.GetProperty("weight").GetInt32()));
        Assert.Equal("ROUNDROBIN", json[3].GetProperty("method").GetString());

        var hits = Assert.Single(json[4].GetProperty("members").EnumerateArray());
        Assert.Equal("s1", hits.GetProperty("name").GetString());
        Assert.Equal((1, 1), (hits.GetProperty("totalConnections").GetInt64(), hits.GetProperty("hits").GetInt64()));
    }

    [Fact]
    public async Task An_action_returns_its_sentence_as_data_too()
    {
        await using var setup = await L4Setup.StartAsync(backends: 1);
        var result = await setup.Host.MustApplyAsync("flush ns simpleacl -estSessions");
        var json = JsonDocument.Parse(JsonSerializer.Serialize(result.Results[0], result.Results[0].GetType(), Web)).RootElement;
        Assert.Equal("0 established connection(s) reset", json.GetProperty("message").GetString());
        Assert.Equal("0 established connection(s) reset\n", result.Output[0]);
    }
}

using System.Net;
using Portico.Testing;

namespace Portico.Core.Tests.Http;

/// <summary>LB methods on the L7 path, observed by a real HTTP client through Portico to real backends.</summary>
public class HttpBalancingTests
{
    [Fact]
    public async Task Round_robin_alternates_requests_on_one_keep_alive_connection_and_reuses_backend_connections()
    {
        await using var setup = await HttpSetup.StartAsync();
        using var client = HttpSetup.Client();
        var answers = new List<string>();
        for (var i = 0; i < 10; i++)
        {
            answers.Add(await HttpSetup.WhoAnswersAsync(client, setup.Url()));
        }

        Assert.Equal(["b1", "b2"], answers.Distinct().Order());
        Assert.All(answers.Skip(1).Select((a, i) => (a, answers[i])), pair => Assert.NotEqual(pair.Item2, pair.a));

        // Sequential requests reuse one kept-alive connection per backend instead of opening ten.
        Assert.Equal(1, setup.Backends[0].Connections);
        Assert.Equal(1, setup.Backends[1].Connections);
        Assert.Equal(5, Interlocked.Read(ref setup.Host.Engine.Runtime.Services["s1"].Counters.Requests));
    }

    [Fact]
    public async Task Weights_share_requests_in_proportion()
    {
        await using var setup = await HttpSetup.StartAsync(extra: "unbind lb vserver v s2\nbind lb vserver v s2 -weight 3");
        using var client = HttpSetup.Client();
        var counts = new Dictionary<string, int> { ["b1"] = 0, ["b2"] = 0 };
        for (var i = 0; i < 40; i++)
        {
            counts[await HttpSetup.WhoAnswersAsync(client, setup.Url())]++;
        }

        Assert.Equal(10, counts["b1"]);
        Assert.Equal(30, counts["b2"]);
    }

    [Fact]
    public async Task Least_connection_counts_requests_in_flight_and_avoids_the_busy_member()
    {
        await using var setup = await HttpSetup.StartAsync(vserverOptions: "-lbMethod LEASTCONNECTION");
        using var client = HttpSetup.Client();
        using var slowClient = HttpSetup.Client();

        // Hold one slow request on whichever member takes it, then every quick request must go to the other.
        var slow = slowClient.GetAsync(setup.Url("/delay/1500"));
        Assert.True(await Eventually.TrueAsync(() => setup.Backends.Sum(b => b.Requests) == 1, TimeSpan.FromSeconds(5)));
        var busy = setup.Backends.Single(b => b.Requests == 1).Name;
        for (var i = 0; i < 6; i++)
        {
            Assert.NotEqual(busy, await HttpSetup.WhoAnswersAsync(client, setup.Url()));
        }

        using var done = await slow;
        Assert.Equal(busy, done.Headers.GetValues("X-Backend").Single());
    }

    [Fact]
    public async Task Least_response_time_sends_most_requests_to_the_faster_member()
    {
        await using var setup = await HttpSetup.StartAsync(vserverOptions: "-lbMethod LEASTRESPONSETIME");
        setup.Backends[0].Latency = TimeSpan.FromMilliseconds(60);
        using var client = HttpSetup.Client();
        for (var i = 0; i < 30; i++)
        {
            await HttpSetup.WhoAnswersAsync(client, setup.Url());
        }

        // Both are measured once at least; after that the fast one wins every sequential pick.
        var slow = Interlocked.Read(ref setup.Host.Engine.Runtime.Services["s1"].Counters.ResponseTimeAverageMicros);
        var fast = Interlocked.Read(ref setup.Host.Engine.Runtime.Services["s2"].Counters.ResponseTimeAverageMicros);
        Assert.True(slow > 50_000, $"slow member average {slow} µs");
        Assert.True(fast < slow / 2, $"fast {fast} µs vs slow {slow} µs");
        Assert.InRange(setup.Backends[0].Requests, 1, 3);
        Assert.InRange(setup.Backends[1].Requests, 27, 29);
    }

    [Fact]
    public async Task Source_ip_hash_keeps_each_client_address_on_one_member_and_spreads_addresses()
    {
        await using var setup = await HttpSetup.StartAsync(vserverOptions: "-lbMethod SOURCEIPHASH");
        var seen = new HashSet<string>();
        for (var a = 1; a <= 12; a++)
        {
            using var client = HttpSetup.Client(IPAddress.Parse($"127.0.9.{a}"), pooled: false);
            var first = await HttpSetup.WhoAnswersAsync(client, setup.Url());
            for (var i = 0; i < 3; i++)
            {
                Assert.Equal(first, await HttpSetup.WhoAnswersAsync(client, setup.Url($"/other{i}")));
            }

            seen.Add(first);
        }

        Assert.Equal(2, seen.Count);
    }

    [Fact]
    public async Task Url_hash_sends_each_url_to_one_member_whatever_the_client()
    {
        await using var setup = await HttpSetup.StartAsync(backends: 3, vserverOptions: "-lbMethod URLHASH");
        var owners = new Dictionary<string, string>();
        for (var c = 1; c <= 3; c++)
        {
            using var client = HttpSetup.Client(IPAddress.Parse($"127.0.8.{c}"));
            for (var u = 0; u < 12; u++)
            {
                var who = await HttpSetup.WhoAnswersAsync(client, setup.Url($"/page/{u}?q=1"));
                Assert.Equal(owners.TryAdd($"{u}", who) ? who : owners[$"{u}"], who);
            }
        }

        Assert.True(owners.Values.Distinct().Count() >= 2, "twelve URLs all hashed to one member");
    }

    [Fact]
    public async Task Maglev_keeps_a_connection_on_one_member()
    {
        await using var setup = await HttpSetup.StartAsync(backends: 3, vserverOptions: "-lbMethod MAGLEV");
        using var client = HttpSetup.Client();
        var first = await HttpSetup.WhoAnswersAsync(client, setup.Url());
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(first, await HttpSetup.WhoAnswersAsync(client, setup.Url($"/{i}")));
        }
    }
}

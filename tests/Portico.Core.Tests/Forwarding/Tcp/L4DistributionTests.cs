using System.Net;
using System.Net.Sockets;
using Portico.Testing;

namespace Portico.Core.Tests.Forwarding.Tcp;

/// <summary>How each LB method spreads real connections over real backends.</summary>
public class L4DistributionTests
{
    private static async Task<(PorticoHost Host, TestTcpServer[] Backends, IPEndPoint Vip)> StartAsync(string method, params int[] weights)
    {
        var backends = weights.Select((_, i) => TestTcpServer.Start($"b{i + 1}")).ToArray();
        var port = Ports.Free();
        var lines = new List<string> { "add serviceGroup g TCP" };
        lines.AddRange(backends.Select((b, i) => $"bind serviceGroup g 127.0.0.1 {b.Port} -weight {weights[i]}"));
        lines.Add($"add lb vserver v TCP 127.0.0.1 {port} -lbMethod {method}");
        lines.Add("bind lb vserver v g");
        var host = await PorticoHost.StartAsync(string.Join('\n', lines));
        return (host, backends, host.EndPointOf("v"));
    }

    private static async Task DisposeAsync(PorticoHost host, TestTcpServer[] backends)
    {
        await host.DisposeAsync();
        foreach (var b in backends)
        {
            await b.DisposeAsync();
        }
    }

    [Fact]
    public async Task Roundrobin_takes_members_in_turn_by_weight()
    {
        var (host, backends, vip) = await StartAsync("ROUNDROBIN", 1, 3);
        try
        {
            var seen = new List<string>();
            for (var i = 0; i < 40; i++)
            {
                seen.Add(await TestClient.WhoAnswersAsync(vip));
            }

            Assert.Equal(10, seen.Count(s => s == "b1"));
            Assert.Equal(30, seen.Count(s => s == "b2"));

            // Smooth weighting: the light member is never starved for long.
            Assert.Contains("b1", seen.Take(4));
        }
        finally
        {
            await DisposeAsync(host, backends);
        }
    }

    [Fact]
    public async Task Leastconnection_sends_new_connections_to_the_least_loaded_member()
    {
        var (host, backends, vip) = await StartAsync("LEASTCONNECTION", 1, 1);
        var held = new List<Socket>();
        try
        {
            // Hold three connections; however they landed, the next ones must even the load out.
            for (var i = 0; i < 3; i++)
            {
                held.Add((await TestClient.ConnectAndGreetAsync(vip)).Socket);
            }

            await Eventually.TrueAsync(() => backends.Sum(b => b.Current) == 3, TimeSpan.FromSeconds(5));
            var light = backends.MinBy(b => b.Current)!;
            var (socket, name) = await TestClient.ConnectAndGreetAsync(vip);
            held.Add(socket);
            Assert.Equal(light.Name, name);
            held.Add((await TestClient.ConnectAndGreetAsync(vip)).Socket);
            Assert.True(await Eventually.TrueAsync(() => backends.All(b => b.Current == 2) || backends.Sum(b => b.Current) == 5 && Math.Abs(backends[0].Current - backends[1].Current) <= 1, TimeSpan.FromSeconds(5)));

            // Sequential short connections on idle members still alternate (ties go in turn).
            foreach (var s in held)
            {
                s.Dispose();
            }

            held.Clear();
            await Eventually.TrueAsync(() => backends.All(b => b.Current == 0), TimeSpan.FromSeconds(5));
            var names = new List<string>();
            for (var i = 0; i < 10; i++)
            {
                names.Add(await TestClient.WhoAnswersAsync(vip));
                await Eventually.TrueAsync(() => backends.All(b => b.Current == 0), TimeSpan.FromSeconds(5));
            }

            Assert.Equal(5, names.Count(n => n == "b1"));
        }
        finally
        {
            foreach (var s in held)
            {
                s.Dispose();
            }

            await DisposeAsync(host, backends);
        }
    }

    [Fact]
    public async Task Sourceiphash_keeps_each_client_address_on_one_member_and_spreads_addresses()
    {
        var (host, backends, vip) = await StartAsync("SOURCEIPHASH", 1, 1, 1);
        try
        {
            var byClient = new Dictionary<int, HashSet<string>>();
            for (var round = 0; round < 3; round++)
            {
                for (var a = 2; a < 42; a++)
                {
                    var name = await FromAsync(IPAddress.Parse($"127.0.1.{a}"), vip);
                    (byClient.TryGetValue(a, out var set) ? set : byClient[a] = []).Add(name);
                }
            }

            Assert.All(byClient.Values, set => Assert.Single(set));
            Assert.Equal(3, byClient.Values.Select(s => s.Single()).Distinct().Count());
        }
        finally
        {
            await DisposeAsync(host, backends);
        }
    }

    [Fact]
    public async Task Srcipsrcporthash_and_maglev_spread_one_client_address_over_members()
    {
        foreach (var method in new[] { "SRCIPSRCPORTHASH", "MAGLEV" })
        {
            var (host, backends, vip) = await StartAsync(method, 1, 1);
            try
            {
                var names = new List<string>();
                for (var i = 0; i < 40; i++)
                {
                    names.Add(await TestClient.WhoAnswersAsync(vip));
                }

                Assert.True(names.Distinct().Count() == 2, $"{method} sent every connection of one client address to one member");
            }
            finally
            {
                await DisposeAsync(host, backends);
            }
        }
    }

    [Fact]
    public async Task A_disabled_member_takes_nothing_new_and_hash_keys_of_other_members_stay()
    {
        var (host, backends, vip) = await StartAsync("SOURCEIPHASH", 1, 1, 1);
        try
        {
            var before = new Dictionary<int, string>();
            for (var a = 2; a < 62; a++)
            {
                before[a] = await FromAsync(IPAddress.Parse($"127.0.2.{a}"), vip);
            }

            await host.MustApplyAsync($"disable serviceGroup g 127.0.0.1 {backends[0].Port}");
            var moved = new List<string>();
            for (var a = 2; a < 62; a++)
            {
                var now = await FromAsync(IPAddress.Parse($"127.0.2.{a}"), vip);
                Assert.NotEqual("b1", now);
                if (before[a] != "b1" && now != before[a])
                {
                    moved.Add($"127.0.2.{a}: {before[a]} -> {now}");
                }
            }

            var states = string.Join(", ", host.Engine.Runtime.Services.Values.Select(s => $"{s.Name} {s.StateWord} {s.Health.LastReason}"));
            Assert.True(moved.Count == 0, $"moved: {string.Join("; ", moved)}; members: {states}");
        }
        finally
        {
            await DisposeAsync(host, backends);
        }
    }

    private static async Task<string> FromAsync(IPAddress source, IPEndPoint vip)
    {
        using var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        s.Bind(new IPEndPoint(source, 0));
        await s.ConnectAsync(vip);
        return await TestClient.ReadLineAsync(s);
    }
}

using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Portico.Testing;

namespace Portico.Core.Tests.Forwarding.Tcp;

/// <summary>What operators rely on: refusal, limits, drain, timeouts, source addresses, backups, reloads.</summary>
public class L4BehaviourTests
{
    [Fact]
    public async Task With_no_service_available_a_client_is_refused_at_once_and_counted()
    {
        await using var setup = await L4Setup.StartAsync(backends: 1);
        await setup.Host.MustApplyAsync("disable service s1");
        var watch = Stopwatch.StartNew();
        Assert.True(await TestClient.IsRefusedAsync(setup.Vip, TimeSpan.FromSeconds(5)));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(1), $"refusal took {watch.Elapsed}");
        Assert.Equal(1, Interlocked.Read(ref setup.Host.Engine.Runtime.Vservers["v"].Counters.Refused));
    }

    [Fact]
    public async Task A_dead_backend_is_skipped_for_another_member_and_counted()
    {
        var dead = Ports.Free();
        await using var live = TestTcpServer.Start("live");
        await using var host = await PorticoHost.StartAsync($"""
            add service dead 127.0.0.1 TCP {dead}
            add service live 127.0.0.1 TCP {live.Port}
            add lb vserver v TCP 127.0.0.1 {Ports.Free()} -lbMethod ROUNDROBIN
            bind lb vserver v dead
            bind lb vserver v live
            """);
        for (var i = 0; i < 6; i++)
        {
            Assert.Equal("live", await TestClient.WhoAnswersAsync(host.EndPointOf("v")));
        }

        // Each failed connect is retried on the live member, so no client notices. Passive health counts the
        // failures: three in a row mark the member DOWN (or tcp-default's first probe does, whichever comes
        // first), and from then on it costs nothing. Before health checks, all six connections paid a failed connect.
        var deadMember = host.Engine.Runtime.Services["dead"];
        Assert.InRange(Interlocked.Read(ref deadMember.Counters.ConnectFailures), 0, 3);
        Assert.Equal("DOWN", deadMember.StateWord);
        Assert.Contains("L4CON", deadMember.Health.LastReason);
    }

    [Fact]
    public async Task MaxClient_caps_a_service_and_the_excess_is_refused()
    {
        await using var setup = await L4Setup.StartAsync(backends: 1, extra: "set service s1 -maxClient 2");
        var (a, _) = await TestClient.ConnectAndGreetAsync(setup.Vip);
        var (b, _) = await TestClient.ConnectAndGreetAsync(setup.Vip);
        using (a)
        using (b)
        {
            Assert.True(await TestClient.IsRefusedAsync(setup.Vip, TimeSpan.FromSeconds(5)));
        }

        Assert.True(await Eventually.TrueAsync(() => Interlocked.Read(ref setup.Host.Engine.Runtime.Services["s1"].Counters.CurrentConnections) == 0, TimeSpan.FromSeconds(5)));
        Assert.False(await TestClient.IsRefusedAsync(setup.Vip, TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task Disabling_a_service_drains_it_new_connections_go_elsewhere_established_ones_go_on()
    {
        await using var setup = await L4Setup.StartAsync(backends: 2);
        var (socket, name) = await TestClient.ConnectAndGreetAsync(setup.Vip);
        using (socket)
        {
            var service = name == "b1" ? "s1" : "s2";
            await setup.Host.MustApplyAsync($"disable service {service}");
            for (var i = 0; i < 4; i++)
            {
                Assert.NotEqual(name, await TestClient.WhoAnswersAsync(setup.Vip));
            }

            await socket.SendAsync(Encoding.ASCII.GetBytes("still here\n"));
            Assert.Equal("still here", await TestClient.ReadLineAsync(socket));
        }
    }

    [Fact]
    public async Task An_idle_connection_is_closed_after_the_client_timeout_and_counted()
    {
        await using var setup = await L4Setup.StartAsync(backends: 1, vserverOptions: "-cltTimeout 1");
        var (socket, _) = await TestClient.ConnectAndGreetAsync(setup.Vip);
        using (socket)
        {
            var watch = Stopwatch.StartNew();
            var ended = await Task.Run(async () =>
            {
                try
                {
                    return await socket.ReceiveAsync(new byte[8]);
                }
                catch (SocketException)
                {
                    return 0;
                }
            }).WaitAsync(TimeSpan.FromSeconds(10));
            Assert.Equal(0, ended);
            Assert.InRange(watch.Elapsed.TotalSeconds, 0.8, 4);
        }

        Assert.Equal(1, Interlocked.Read(ref setup.Host.Engine.Runtime.Vservers["v"].Counters.IdleTimeouts));
    }

    [Fact]
    public async Task Server_connections_leave_from_the_snip_of_the_servers_subnet()
    {
        await using var setup = await L4Setup.StartAsync(backends: 1, extra: "add ns ip 127.0.0.7 255.0.0.0 -type SNIP");
        await TestClient.WhoAnswersAsync(setup.Vip);
        // Health probes come from the SNIP too, as NetScaler's do, so every peer the backend saw is the SNIP.
        List<IPEndPoint> peers;
        lock (setup.Backends[0].Peers)
        {
            peers = [.. setup.Backends[0].Peers];
        }

        Assert.NotEmpty(peers);
        Assert.All(peers, p => Assert.Equal(IPAddress.Parse("127.0.0.7"), p.Address));
    }

    [Fact]
    public async Task The_backup_vserver_takes_over_when_the_primary_has_no_service_and_gives_back()
    {
        await using var primary = TestTcpServer.Start("primary");
        await using var backup = TestTcpServer.Start("backup");
        await using var host = await PorticoHost.StartAsync($"""
            add service p 127.0.0.1 TCP {primary.Port}
            add service b 127.0.0.1 TCP {backup.Port}
            add lb vserver bk TCP 0.0.0.0 0
            bind lb vserver bk b
            add lb vserver v TCP 127.0.0.1 {Ports.Free()} -backupVServer bk
            bind lb vserver v p
            """);
        var vip = host.EndPointOf("v");
        Assert.Equal("primary", await TestClient.WhoAnswersAsync(vip));
        await host.MustApplyAsync("disable service p");
        Assert.Equal("backup", await TestClient.WhoAnswersAsync(vip));
        await host.MustApplyAsync("enable service p");
        Assert.Equal("primary", await TestClient.WhoAnswersAsync(vip));
        Assert.Equal(1, Interlocked.Read(ref host.Engine.Runtime.Vservers["v"].Counters.ToBackup));
    }

    [Fact]
    public async Task Past_the_spillover_threshold_new_connections_go_to_the_backup_vserver()
    {
        await using var primary = TestTcpServer.Start("primary");
        await using var backup = TestTcpServer.Start("backup");
        await using var host = await PorticoHost.StartAsync($"""
            add service p 127.0.0.1 TCP {primary.Port}
            add service b 127.0.0.1 TCP {backup.Port}
            add lb vserver bk TCP 0.0.0.0 0
            bind lb vserver bk b
            add lb vserver v TCP 127.0.0.1 {Ports.Free()} -backupVServer bk -soMethod CONNECTION -soThreshold 2
            bind lb vserver v p
            """);
        var vip = host.EndPointOf("v");
        var held = new List<Socket>();
        try
        {
            var names = new List<string>();
            for (var i = 0; i < 4; i++)
            {
                var (s, n) = await TestClient.ConnectAndGreetAsync(vip);
                held.Add(s);
                names.Add(n);
            }

            Assert.Equal(["primary", "primary", "backup", "backup"], names);
        }
        finally
        {
            held.ForEach(s => s.Dispose());
        }
    }

    [Fact]
    public async Task Vservers_added_and_removed_under_load_break_no_connection()
    {
        await using var setup = await L4Setup.StartAsync(backends: 2);
        var vip = setup.Vip;
        var failures = 0;
        var completed = 0;

        // Bounded load: four loops of 300 full request/response exchanges each, while the config changes.
        var load = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            for (var i = 0; i < 300; i++)
            {
                try
                {
                    var (s, _) = await TestClient.ConnectAndGreetAsync(vip);
                    using (s)
                    {
                        await s.SendAsync(Encoding.ASCII.GetBytes("ping\n"));
                        if (await TestClient.ReadLineAsync(s) != "ping")
                        {
                            Interlocked.Increment(ref failures);
                        }
                    }

                    Interlocked.Increment(ref completed);
                }
                catch (Exception)
                {
                    Interlocked.Increment(ref failures);
                }
            }
        })).ToArray();

        var all = Task.WhenAll(load);
        var rounds = 0;
        for (var round = 0; round < 500 && !all.IsCompleted; round++, rounds++)
        {
            var port = Ports.Free();
            await setup.Host.MustApplyAsync($"add lb vserver extra{round} TCP 127.0.0.1 {port}\nbind lb vserver extra{round} s1\nset lb vserver v -lbMethod {(round % 2 == 0 ? "LEASTCONNECTION" : "ROUNDROBIN")}");
            Assert.Equal("b1", await TestClient.WhoAnswersAsync(setup.Host.EndPointOf($"extra{round}")));
            await setup.Host.MustApplyAsync($"rm lb vserver extra{round}\nadd service t{round} 127.0.0.1 TCP {setup.Backends[1].Port}\nbind lb vserver v t{round}");
            await setup.Host.MustApplyAsync($"rm service t{round}");
        }

        await all;
        Assert.Equal(0, failures);
        Assert.Equal(1200, completed);
        Assert.True(rounds >= 3, $"only {rounds} config changes happened under load");
    }

    [Fact]
    public async Task Removing_a_vserver_stops_new_clients_but_lets_established_ones_finish()
    {
        await using var setup = await L4Setup.StartAsync(backends: 1);
        var vip = setup.Vip;
        var (socket, _) = await TestClient.ConnectAndGreetAsync(vip);
        using (socket)
        {
            await setup.Host.MustApplyAsync("rm lb vserver v");
            Assert.True(await TestClient.IsRefusedAsync(vip, TimeSpan.FromSeconds(5)));
            await socket.SendAsync(Encoding.ASCII.GetBytes("after removal\n"));
            Assert.Equal("after removal", await TestClient.ReadLineAsync(socket));
        }
    }

    [Fact]
    public async Task A_bad_batch_is_rejected_whole_and_the_old_config_keeps_serving()
    {
        await using var setup = await L4Setup.StartAsync(backends: 1);
        var result = await setup.Host.ApplyAsync("rm lb vserver v\nadd lb vserver v2 TCP 127.0.0.1 notaport");
        Assert.False(result.Applied);
        Assert.Contains("line 2", result.Describe());
        Assert.Equal("b1", await TestClient.WhoAnswersAsync(setup.Vip));
        Assert.Equal(1, setup.Host.Engine.Store.Current.Generation);
    }

    [Fact]
    public async Task Stopping_drains_established_connections_then_exits()
    {
        var setup = await L4Setup.StartAsync(backends: 1, drain: TimeSpan.FromSeconds(5));
        var (socket, _) = await TestClient.ConnectAndGreetAsync(setup.Vip);
        using (socket)
        {
            var vip = setup.Vip;
            var stopping = setup.Host.StopAsync();
            var refused = false;
            for (var i = 0; i < 20 && !refused; i++)
            {
                refused = await TestClient.IsRefusedAsync(vip, TimeSpan.FromSeconds(1));
            }

            Assert.True(refused, "a new client still got in while draining");

            // Still served while draining; closing it lets the stop complete before the deadline.
            await socket.SendAsync(Encoding.ASCII.GetBytes("draining\n"));
            Assert.Equal("draining", await TestClient.ReadLineAsync(socket));
            socket.Shutdown(SocketShutdown.Send);
            await TestClient.ReadToEndAsync(socket);
            var watch = Stopwatch.StartNew();
            await stopping.WaitAsync(TimeSpan.FromSeconds(10));
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(4));
        }

        await setup.DisposeAsync();
    }
}

using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Portico.Counters;
using Portico.Testing;

namespace Portico.Core.Tests.Capture;

/// <summary>
/// <c>start nstrace</c> capturing real packets with libpcap on loopback during real proxied exchanges, the
/// files read back by tshark: both sides of each connection, rotation, the size cap, two captures at once,
/// config changes while capturing. Needs root (CAP_NET_RAW), libpcap and tshark, as CI has.
/// </summary>
public sealed class WireTraceTests
{
    private static async Task<(CaptureSetup Setup, TestTcpServer Backend)> StartAsync()
    {
        var backend = TestTcpServer.Start("b1");
        var setup = await CaptureSetup.StartAsync($"add service s1 127.0.0.1 TCP {backend.Port}\nadd lb vserver v TCP 127.0.0.1 {Ports.Free()}\nbind lb vserver v s1");
        return (setup, backend);
    }

    private static async Task<IPEndPoint> ExchangeAsync(IPEndPoint vip, string payload)
    {
        var (socket, name) = await TestClient.ConnectAndGreetAsync(vip);
        using (socket)
        {
            Assert.Equal("b1", name);
            var local = (IPEndPoint)socket.LocalEndPoint!;
            await socket.SendAsync(Encoding.ASCII.GetBytes(payload));
            socket.Shutdown(SocketShutdown.Send);
            Assert.Equal(payload, Encoding.ASCII.GetString(await TestClient.ReadToEndAsync(socket)));
            return local;
        }
    }

    [Fact]
    public async Task A_vserver_capture_with_link_holds_the_client_side_and_the_server_side_of_the_proxied_exchange()
    {
        var (setup, backend) = await StartAsync();
        await using var _ = setup;
        await using var __ = backend;
        var vip = setup.Host.EndPointOf("v");

        var started = await setup.MustAsync("start nstrace -fileName t1 -filter \"vserver v\" -link ENABLED -size 0");
        Assert.Contains($"filter \"vserver v\" = \"((tcp and host 127.0.0.1 and port {vip.Port}) or (tcp and host 127.0.0.1 and port {backend.Port}))\"", started);
        Assert.Contains("wire capture on lo", started);

        var client = await ExchangeAsync(vip, "capture-me-0123456789");
        IPEndPoint portico;
        lock (backend.Talkers)
        {
            // Talkers, not peers: a health probe may have connected too, and sent nothing.
            portico = Assert.Single(backend.Talkers);
        }
        var session = setup.Session("t1");
        await TraceWait.QuietAsync(session, atLeast: 16);
        var stopped = await setup.MustAsync("stop nstrace -fileName t1");
        Assert.Contains("Trace t1 stopped", stopped);

        var file = Assert.Single(Directory.GetFiles(setup.Directory));
        Assert.Matches(@"t1_001_\d{8}-\d{6}\.pcap$", file);
        var packets = await Tshark.FieldsAsync(file, "frame contains \"capture-me-0123456789\"", "ip.src", "tcp.srcport", "ip.dst", "tcp.dstport");
        var legs = packets.Select(p => $"{p[0]}:{p[1]}>{p[2]}:{p[3]}").ToHashSet();

        // Client side: the client and the VIP, both ways; server side: Portico's source and the member, both ways.
        Assert.Contains($"127.0.0.1:{client.Port}>127.0.0.1:{vip.Port}", legs);
        Assert.Contains($"127.0.0.1:{vip.Port}>127.0.0.1:{client.Port}", legs);
        Assert.Contains($"127.0.0.1:{portico.Port}>127.0.0.1:{backend.Port}", legs);
        Assert.Contains($"127.0.0.1:{backend.Port}>127.0.0.1:{portico.Port}", legs);
        Assert.Equal(4, legs.Count);

        // The whole packet is kept with -size 0: the greeting the member sent is in the server-side packets too.
        var greetings = await Tshark.FieldsAsync(file, $"tcp.srcport == {backend.Port} and frame contains \"b1\"", "frame.len", "frame.cap_len");
        Assert.NotEmpty(greetings);
        Assert.All(greetings, g => Assert.Equal(g[0], g[1]));
    }

    [Fact]
    public async Task Without_link_a_vserver_capture_holds_only_the_client_side_and_size_truncates_packets()
    {
        var (setup, backend) = await StartAsync();
        await using var _ = setup;
        await using var __ = backend;
        var vip = setup.Host.EndPointOf("v");

        await setup.MustAsync("start nstrace -fileName t2 -filter \"vserver v\" -size 60");
        await ExchangeAsync(vip, new string('x', 500));
        await TraceWait.QuietAsync(setup.Session("t2"), atLeast: 8);
        await setup.MustAsync("stop nstrace");

        var file = Assert.Single(Directory.GetFiles(setup.Directory));
        var packets = await Tshark.FieldsAsync(file, null, "tcp.srcport", "tcp.dstport", "frame.len", "frame.cap_len");
        Assert.NotEmpty(packets);
        Assert.All(packets, p => Assert.True(p[0] == vip.Port.ToString() || p[1] == vip.Port.ToString(), string.Join(' ', p)));
        Assert.DoesNotContain(packets, p => p[0] == backend.Port.ToString() || p[1] == backend.Port.ToString());
        Assert.All(packets, p => Assert.True(int.Parse(p[3]) <= 60, string.Join(' ', p)));
        Assert.Contains(packets, p => int.Parse(p[2]) > 500);
    }

    [Fact]
    public async Task Files_rotate_every_time_seconds_and_only_nf_are_kept()
    {
        var (setup, backend) = await StartAsync();
        await using var _ = setup;
        await using var __ = backend;
        var vip = setup.Host.EndPointOf("v");

        await setup.MustAsync("start nstrace -fileName rot -filter \"vserver v\" -nf 2 -time 1 -size 0");
        var session = setup.Session("rot");
        // Bounded: 40 exchanges (4 s, four 1 s files) at most, whatever the rotation does.
        for (var i = 0; i < 40 && (session.Files.Paths.Count < 2 || !session.Files.Paths[^1].Contains("_004_", StringComparison.Ordinal)); i++)
        {
            await ExchangeAsync(vip, $"rotation-{i:D3}");
            await Task.Delay(100);
        }

        var stopped = await setup.MustAsync("stop nstrace -fileName rot");
        var files = Directory.GetFiles(setup.Directory).Order(StringComparer.Ordinal).ToList();

        // At least four files were opened (the fourth deleted the first two); two remain, both readable.
        Assert.Equal(2, files.Count);
        Assert.Contains("2 file(s)", stopped);
        Assert.DoesNotContain(files, f => f.Contains("rot_001_", StringComparison.Ordinal) || f.Contains("rot_002_", StringComparison.Ordinal));
        Assert.All(files, f => Assert.Matches(@"rot_\d{3}_\d{8}-\d{6}\.pcap$", f));
        foreach (var f in files)
        {
            await Tshark.FieldsAsync(f, null, "frame.number");
        }

        var all = (await Tshark.FieldsAsync(files[0], "frame contains \"rotation-\"", "frame.number")).Count
            + (await Tshark.FieldsAsync(files[1], "frame contains \"rotation-\"", "frame.number")).Count;
        Assert.True(all > 0, "the kept files hold the latest exchanges");
    }

    [Fact]
    public async Task The_size_cap_stops_the_capture_on_its_own_and_the_traffic_goes_on()
    {
        var (setup, backend) = await StartAsync();
        await using var _ = setup;
        await using var __ = backend;
        var vip = setup.Host.EndPointOf("v");

        await setup.MustAsync("start nstrace -fileName cap -filter \"vserver v\" -link ENABLED -size 0 -maxSize 1");
        var session = setup.Session("cap");

        // 2 MiB each way, seen four times on the wire: far past the 1 MB cap.
        var payload = new string('z', 2 << 20);
        await ExchangeAsync(vip, payload);
        Assert.True(await Eventually.TrueAsync(() => !session.Running, TimeSpan.FromSeconds(10)), "the capture did not stop at its size cap");

        Assert.StartsWith("size cap of 1 MB reached", session.StopReason);
        var onDisk = Directory.GetFiles(setup.Directory).Sum(f => new FileInfo(f).Length);
        Assert.InRange(onDisk, 512 * 1024, 1 << 20);
        var shown = await setup.MustAsync("show nstrace");
        Assert.Contains("cap: stopped: size cap of 1 MB reached", shown);
        Assert.Contains("STOPPED", shown);

        // The file is whole (tshark reads it to the end) and Portico still relays.
        Assert.NotEmpty(await Tshark.FieldsAsync(Directory.GetFiles(setup.Directory)[0], null, "frame.number"));
        await ExchangeAsync(vip, "after the cap");
    }

    [Fact]
    public async Task Two_captures_run_at_once_into_distinct_files_and_follow_a_config_change()
    {
        var (setup, backend) = await StartAsync();
        await using var _ = setup;
        await using var __ = backend;
        await using var second = TestTcpServer.Start("b1");
        var vip = setup.Host.EndPointOf("v");

        await setup.MustAsync("start nstrace -fileName linked -filter \"vserver v\" -link ENABLED -size 0");
        await setup.MustAsync($"start nstrace -fileName front -filter \"tcp port {vip.Port}\" -size 0 -traceformat PCAPNG");
        var shown = await setup.MustAsync("show nstrace");
        Assert.Contains("2 trace(s)", shown);

        // A config change binds a second member: the linked capture's filter follows it; both keep running.
        await setup.Host.MustApplyAsync($"add service s2 127.0.0.1 TCP {second.Port}\nbind lb vserver v s2");
        Assert.Contains($"port {second.Port}", setup.Session("linked").Filter.Bpf);
        for (var i = 0; i < 4; i++)
        {
            await ExchangeAsync(vip, $"both-captures-{i}");
        }

        Assert.True(second.Talkers.Count > 0 && backend.Talkers.Count > 0, "round robin reached both members");
        await TraceWait.QuietAsync(setup.Session("linked"), atLeast: 40);
        await TraceWait.QuietAsync(setup.Session("front"), atLeast: 20);
        Assert.True(setup.Session("linked").Running && setup.Session("front").Running);
        await setup.MustAsync("stop nstrace");

        var linked = Assert.Single(Directory.GetFiles(setup.Directory, "linked_*.pcap"));
        var front = Assert.Single(Directory.GetFiles(setup.Directory, "front_*.pcapng"));
        var toSecond = await Tshark.FieldsAsync(linked, $"tcp.dstport == {second.Port} and frame contains \"both-captures-\"", "frame.number");
        Assert.NotEmpty(toSecond);
        var frontPorts = await Tshark.FieldsAsync(front, null, "tcp.srcport", "tcp.dstport");
        Assert.NotEmpty(frontPorts);
        Assert.All(frontPorts, p => Assert.Contains(vip.Port.ToString(), p));
        Assert.Equal(4, (await Tshark.FieldsAsync(front, $"tcp.dstport == {vip.Port} and frame contains \"both-captures-\"", "frame.number")).Count);
    }

    [Fact]
    public async Task Packets_the_capture_cannot_keep_up_with_are_counted_as_dropped_and_the_relay_is_unaffected()
    {
        var (setup, backend) = await StartAsync();
        await using var _ = setup;
        await using var __ = backend;
        var vip = setup.Host.EndPointOf("v");

        // 256 MiB each way through the echo, crossing four legs (client, VIP, Portico, member): 1 GiB of payload,
        // whole packets kept, into files that rotate at 16 MB so the disk holds at most 32 MB.
        await setup.MustAsync("start nstrace -fileName flood -filter \"vserver v\" -link ENABLED -size 0 -nf 2 -fileSize 16");
        var session = setup.Session("flood");
        const int Total = 256 << 20;
        var (socket, _) = await TestClient.ConnectAndGreetAsync(vip);
        using (socket)
        {
            var chunk = new byte[1 << 20];
            var reading = Task.Run(async () =>
            {
                var buffer = new byte[1 << 20];
                long got = 0;
                int n;
                while ((n = await socket.ReceiveAsync(buffer)) > 0)
                {
                    got += n;
                }

                return got;
            });
            for (var sent = 0; sent < Total; sent += chunk.Length)
            {
                await socket.SendAsync(chunk);
            }

            socket.Shutdown(SocketShutdown.Send);
            Assert.Equal(Total, await reading.WaitAsync(TimeSpan.FromSeconds(60)));
        }

        await TraceWait.QuietAsync(session, atLeast: 100);

        // The catalogue (/metrics, the history log) reads the same counts as show nstrace (read first: they only grow).
        var catalog = setup.Host.Services.GetRequiredService<CounterCatalog>();
        var dropped = catalog.Read("portico.capture.dropped")["flood"];
        var written = catalog.Read("portico.capture.packets_written")["flood"];
        Assert.InRange(dropped, 1, session.Source.Dropped);
        Assert.InRange(written, 100, session.Files.Packets);
        var stopped = await setup.MustAsync("stop nstrace -fileName flood");
        Assert.Empty(catalog.Read("portico.capture.dropped"));

        // Whole packets: whatever payload is not in the files was dropped by the kernel, and counted.
        var inFiles = session.Files.BytesWritten;
        Assert.True(inFiles >= 4L * Total || session.Source.Dropped > 0,
            $"{inFiles} bytes written for {4L * Total} bytes of payload, yet no drop counted: {stopped}");
        Assert.Contains($"{session.Source.Dropped} dropped", stopped);
        Assert.True(Directory.GetFiles(setup.Directory).Sum(f => new FileInfo(f).Length) <= 2 * 16 * 1024 * 1024);
    }
}

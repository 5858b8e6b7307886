// AclLoad: what bench/acl/run.py needs and nothing else, every loop bounded in time.
//   serve PORT                         echo backend on 127.0.0.1:PORT
//   connect HOST:PORT[,HOST:PORT] SECONDS LOOPS   new connections: connect, 1 byte there and back, close;
//                                      LOOPS loops per target, all targets at once; prints counts per target
//   stream HOST:PORT[,HOST:PORT] SECONDS CONNS    bytes echoed through CONNS long connections per target
//   alternate KIND A,B PIDA,PIDB WINDOW ROUNDS LOOPS   short windows on A then B (B then A next round), each with
//                                      the target's CPU from /proc: one line per round (KIND: accept or stream)
//   config FILE VIP_PORT BACKEND_PORT RULES GEO   writes a portico.conf (RULES=yes: 100,000 simple + 10,000 extended ACLs)
//   inproc GEO                         memory per 100,000 simple ACLs, apply time of 10,000 extended ACLs, lookup cost
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Portico.Acl;
using Portico.Acl.Compiled;
using Portico.Configuration;
using Portico.Hosting;

return args[0] switch
{
    "serve" => await Serve(int.Parse(args[1], CultureInfo.InvariantCulture)),
    "connect" => await Connect(Targets(args[1]), double.Parse(args[2], CultureInfo.InvariantCulture), int.Parse(args[3], CultureInfo.InvariantCulture)),
    "stream" => await Stream(Targets(args[1]), double.Parse(args[2], CultureInfo.InvariantCulture), int.Parse(args[3], CultureInfo.InvariantCulture)),
    "alternate" => await Alternate(args[1], Targets(args[2]), [.. args[3].Split(',').Select(int.Parse)],
        double.Parse(args[4], CultureInfo.InvariantCulture), int.Parse(args[5], CultureInfo.InvariantCulture), int.Parse(args[6], CultureInfo.InvariantCulture)),
    "config" => WriteConfig(args[1], args[2], args[3], args[4] == "yes", args[5]),
    "inproc" => InProcess(args[1]),
    _ => throw new ArgumentException("mode: serve, connect, stream, config, inproc"),
};

// Pairs of short windows cancel the slow swings of a shared machine: each round's ratio compares two
// windows a few seconds apart, and the order flips every round so neither target always goes first.
static async Task<int> Alternate(string kind, IPEndPoint[] targets, int[] pids, double window, int rounds, int loops)
{
    static double Cpu(int pid)
    {
        var fields = File.ReadAllText($"/proc/{pid}/stat").Split(')')[^1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
    }

    for (var r = 0; r < rounds; r++)
    {
        var values = new double[targets.Length];
        var cpu = new double[targets.Length];
        var errors = new long[targets.Length];
        var order = Enumerable.Range(0, targets.Length).ToArray();
        if (r % 2 == 1)
        {
            Array.Reverse(order);
        }

        foreach (var t in order)
        {
            var before = Cpu(pids[t]);
            var (value, failed) = kind == "accept" ? await ConnectWindow(targets[t], window, loops) : await StreamWindow(targets[t], window, loops);
            cpu[t] = Cpu(pids[t]) - before;
            values[t] = value;
            errors[t] = failed;
        }

        Console.WriteLine($"round={r} values={string.Join(',', values.Select(v => v.ToString("F1", CultureInfo.InvariantCulture)))} "
            + $"cpu={string.Join(',', cpu.Select(v => v.ToString("F2", CultureInfo.InvariantCulture)))} errors={PerTarget(errors)}");
    }

    return 0;
}

static async Task<(double PerSecond, long Errors)> ConnectWindow(IPEndPoint target, double seconds, int loops)
{
    long done = 0, errors = 0;
    var deadline = Stopwatch.GetTimestamp() + (long)(seconds * Stopwatch.Frequency);
    var one = new byte[] { 42 };
    async Task Loop()
    {
        var buffer = new byte[1];
        while (Stopwatch.GetTimestamp() < deadline)
        {
            using var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await s.ConnectAsync(target, bound.Token);
                await s.SendAsync(one, SocketFlags.None, bound.Token);
                if (await s.ReceiveAsync(buffer, SocketFlags.None, bound.Token) == 1)
                {
                    Interlocked.Increment(ref done);
                    continue;
                }
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException)
            {
            }

            Interlocked.Increment(ref errors);
        }
    }

    var watch = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, loops).Select(_ => Task.Run(Loop)));
    return (done / watch.Elapsed.TotalSeconds, errors);
}

static async Task<(double MiBPerSecond, long Stuck)> StreamWindow(IPEndPoint target, double seconds, int connections)
{
    long received = 0, stuck = 0;
    var deadline = Stopwatch.GetTimestamp() + (long)(seconds * Stopwatch.Frequency);
    using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(seconds + 10));
    async Task One()
    {
        using var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await s.ConnectAsync(target, bound.Token);
            var chunk = new byte[64 * 1024];
            var send = Task.Run(async () =>
            {
                while (Stopwatch.GetTimestamp() < deadline)
                {
                    await s.SendAsync(chunk, SocketFlags.None, bound.Token);
                }

                s.Shutdown(SocketShutdown.Send);
            });
            var buffer = new byte[256 * 1024];
            int n;
            while ((n = await s.ReceiveAsync(buffer, SocketFlags.None, bound.Token)) > 0)
            {
                if (Stopwatch.GetTimestamp() < deadline)
                {
                    Interlocked.Add(ref received, n);
                }
            }

            await send;
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException)
        {
            Interlocked.Increment(ref stuck);
        }
    }

    await Task.WhenAll(Enumerable.Range(0, connections).Select(_ => Task.Run(One)));
    return (received / seconds / (1 << 20), stuck);
}

static IPEndPoint[] Targets(string list) => [.. list.Split(',').Select(IPEndPoint.Parse)];

static string PerTarget(long[] values) => string.Join(',', values);

static async Task<int> Serve(int port)
{
    using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
    listener.Bind(new IPEndPoint(IPAddress.Loopback, port));
    listener.Listen(4096);
    while (true)
    {
        var s = await listener.AcceptAsync();
        _ = Task.Run(async () =>
        {
            var buffer = new byte[64 * 1024];
            try
            {
                int n;
                while ((n = await s.ReceiveAsync(buffer, SocketFlags.None)) > 0)
                {
                    await s.SendAsync(buffer.AsMemory(0, n), SocketFlags.None);
                }
            }
            catch (SocketException)
            {
            }
            finally
            {
                s.Dispose();
            }
        });
    }
}

static async Task<int> Connect(IPEndPoint[] targets, double seconds, int loops)
{
    var done = new long[targets.Length];
    var errors = new long[targets.Length];
    var deadline = Stopwatch.GetTimestamp() + (long)(seconds * Stopwatch.Frequency);
    var one = new byte[] { 42 };
    async Task Loop(int t)
    {
        var buffer = new byte[1];
        while (Stopwatch.GetTimestamp() < deadline)
        {
            using var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await s.ConnectAsync(targets[t], bound.Token);
                await s.SendAsync(one, SocketFlags.None, bound.Token);
                if (await s.ReceiveAsync(buffer, SocketFlags.None, bound.Token) == 1)
                {
                    Interlocked.Increment(ref done[t]);
                }
                else
                {
                    Interlocked.Increment(ref errors[t]);
                }
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException)
            {
                Interlocked.Increment(ref errors[t]);
            }
        }
    }

    // Loops of every target are interleaved in start order, so each target sees the machine as the others do.
    var watch = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, loops * targets.Length).Select(i => Task.Run(() => Loop(i % targets.Length))));
    Console.WriteLine($"connections={PerTarget(done)} errors={PerTarget(errors)} seconds={watch.Elapsed.TotalSeconds:F3}");
    return 0;
}

static async Task<int> Stream(IPEndPoint[] targets, double seconds, int connections)
{
    var received = new long[targets.Length];
    var stuck = new long[targets.Length];
    var deadline = Stopwatch.GetTimestamp() + (long)(seconds * Stopwatch.Frequency);

    // Bounded: whatever happens, every socket is closed 10 s after the measured window.
    using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(seconds + 10));
    async Task One(int t)
    {
        using var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await s.ConnectAsync(targets[t], bound.Token);
            var chunk = new byte[64 * 1024];
            var send = Task.Run(async () =>
            {
                while (Stopwatch.GetTimestamp() < deadline)
                {
                    await s.SendAsync(chunk, SocketFlags.None, bound.Token);
                }

                s.Shutdown(SocketShutdown.Send);
            });
            var buffer = new byte[256 * 1024];
            int n;
            while ((n = await s.ReceiveAsync(buffer, SocketFlags.None, bound.Token)) > 0)
            {
                if (Stopwatch.GetTimestamp() < deadline)
                {
                    Interlocked.Add(ref received[t], n);
                }
            }

            await send;
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException)
        {
            Interlocked.Increment(ref stuck[t]);
        }
    }

    await Task.WhenAll(Enumerable.Range(0, connections * targets.Length).Select(i => Task.Run(() => One(i % targets.Length))));
    Console.WriteLine($"bytes={PerTarget(received)} seconds={seconds:F3} stuck={PerTarget(stuck)}");
    return 0;
}

// 100,000 simple ACLs on sources the client is not (198.18.0.0/15 and 2001:db8::/32), and 10,000 extended
// ACLs of the shapes operators write, none covering 127.0.0.1 -> VIP: every connection pays a full miss.
static IEnumerable<string> Rules(string geo)
{
    for (var i = 0; i < 90_000; i++)
    {
        yield return $"add ns simpleacl s{i} DENY -srcIP 198.{18 + (i >> 16)}.{(i >> 8) & 255}.{i & 255}{(i % 3 == 0 ? " -TTL 86400" : "")}";
    }

    for (var i = 0; i < 10_000; i++)
    {
        yield return $"add ns simpleacl6 s6_{i} DENY -srcIPv6 2001:db8::{i:x}{(i % 2 == 0 ? $" -destPort {1 + (i % 1000)} -protocol TCP" : "")}";
    }

    if (geo.Length > 0)
    {
        yield return $"set ns geoip -database {geo}";
    }

    for (var i = 0; i < 10_000; i++)
    {
        var a = $"100.{64 + (i >> 12)}.{(i >> 4) & 255}.{(i & 15) * 16}";
        yield return (i % 10) switch
        {
            < 6 => $"add ns acl x{i} DENY -srcIP = {a}-{a[..a.LastIndexOf('.')]}.{(i & 15) * 16 + 15}",
            6 => $"add ns acl x{i} DENY -srcIP {a} -destPort = {1000 + (i % 5000)} -protocol TCP",
            7 => $"add ns acl x{i} ALLOW -destIP = 10.{i >> 8 & 255}.{i & 255}.1 -destPort 443 -protocol TCP",
            8 => $"add ns acl x{i} DENY -srcPort = {20000 + i % 1000}-{20000 + i % 1000} -destPort != 1-1023 -protocol UDP",
            _ => geo.Length > 0 && i % 100 == 9
                ? $"add ns acl x{i} DENY -srcCountry {new[] { "CN", "RU", "KP", "IR" }[i / 100 % 4]} -destPort {2000 + i % 100}"
                : $"add ns acl x{i} DENY -srcIP != 0.0.0.0-223.255.255.255 -protocol TCP",
        };
    }

    yield return "apply ns acls";
}

static int WriteConfig(string file, string vipPort, string backendPort, bool rules, string geo)
{
    var lines = new List<string>
    {
        $"add service echo 127.0.0.1 TCP {backendPort}",
        $"add lb vserver v TCP 127.0.0.1 {vipPort} -lbMethod ROUNDROBIN",
        "bind lb vserver v echo",
    };
    if (rules)
    {
        lines.AddRange(Rules(geo));
    }

    File.WriteAllLines(file, lines);
    return 0;
}

static int InProcess(string geo)
{
    var services = new ServiceCollection();
    services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
    services.AddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
    services.AddPorticoCore();
    using var provider = services.BuildServiceProvider();
    var store = provider.GetRequiredService<ConfigStore>();
    var all = Rules(geo).ToList();
    var simple = all.Where(l => l.StartsWith("add ns simpleacl", StringComparison.Ordinal)).ToList();
    var extended = all.Where(l => !l.StartsWith("add ns simpleacl", StringComparison.Ordinal) && l != "apply ns acls").ToList();

    // Warm the parser and JIT on a small batch first.
    store.Plan(RunningConfig.Empty, string.Join('\n', simple.Take(2000).Concat(extended.Take(2000))) + "\napply ns acls", "warm");

    static long Heap()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return GC.GetTotalMemory(true);
    }

    var before = Heap();
    var watch = Stopwatch.StartNew();
    var withSimple = store.Plan(RunningConfig.Empty, string.Join('\n', simple), "bench").Next!;
    var batch100k = watch.Elapsed;
    var after = Heap();
    Console.WriteLine($"simple_acls={withSimple.SimpleAcls.StoredCount} batch_seconds={batch100k.TotalSeconds:F3} heap_bytes={after - before}");
    GC.KeepAlive(withSimple);

    // One more rule on top of 100,000: the persistent set against rebuilding a frozen hash of them all.
    var times = new List<double>();
    for (var i = 0; i < 50; i++)
    {
        watch.Restart();
        store.Plan(withSimple, $"add ns simpleacl extra{i} DENY -srcIP 203.0.113.{i}", "bench");
        times.Add(watch.Elapsed.TotalMilliseconds);
    }

    times.Sort();
    var frozen = new List<double>();
    var keys = withSimple.SimpleAcls.AllLive(0).ToList();
    for (var i = 0; i < 10; i++)
    {
        watch.Restart();
        var f = System.Collections.Frozen.FrozenDictionary.ToFrozenDictionary(keys, k => k.Key, k => k);
        frozen.Add(watch.Elapsed.TotalMilliseconds);
        GC.KeepAlive(f);
    }

    frozen.Sort();
    Console.WriteLine($"one_add_on_100k_ms_median={times[times.Count / 2]:F3} rebuild_frozen_100k_ms_median={frozen[frozen.Count / 2]:F3}");

    // 10,000 extended ACLs: the add batch, then apply alone, then the compile inside it.
    watch.Restart();
    var added = store.Plan(withSimple, string.Join('\n', extended), "bench").Next!;
    var addSeconds = watch.Elapsed.TotalSeconds;
    var applies = new List<double>();
    RunningConfig applied = added;
    for (var i = 0; i < 5; i++)
    {
        watch.Restart();
        applied = store.Plan(added, "apply ns acls", "bench").Next!;
        applies.Add(watch.Elapsed.TotalSeconds);
    }

    applies.Sort();
    var table = applied.ExtendedAcls.V4.Applied.Table;
    Console.WriteLine($"extended_acls={added.ExtendedAcls.V4.Rules.Count} add_batch_seconds={addSeconds:F3} apply_seconds_median={applies[2]:F4} apply_seconds_max={applies[^1]:F4} in_table={table.Count} layout=\"{table.Layout}\"");

    // Per-connection lookup cost of a miss, as the admission policy pays it (no country lookup here).
    var client = AclAddress.Key(IPAddress.Loopback);
    var vip = AclAddress.Key(IPAddress.Loopback);
    var packet = new AclPacket(client, vip, 40000, 18212, AclProtocols.Tcp, -1);
    var set = applied.SimpleAcls;
    const int N = 2_000_000;
    long misses = 0;
    for (var round = 0; round < 2; round++)
    {
        watch.Restart();
        for (var i = 0; i < N; i++)
        {
            if (set.RulesFor(client + (UInt128)(i & 1)) is null && table.Match(packet with { SourcePort = 40000 + (i & 1023) }, 0) is null)
            {
                misses++;
            }
        }
    }

    Console.WriteLine($"lookup_ns_per_connection={watch.Elapsed.TotalMilliseconds * 1e6 / N:F1} misses={misses}");

    // The same with a different client address each time (a scan of 2^24 addresses), so the lookups do not
    // stay in the CPU caches as one repeated address does: closer to a busy proxy.
    var rng = new Random(7);
    var clients = Enumerable.Range(0, 1 << 16).Select(_ => AclAddress.V4First + (UInt128)(uint)rng.Next()).ToArray();
    for (var round = 0; round < 2; round++)
    {
        watch.Restart();
        for (var i = 0; i < N; i++)
        {
            var c = clients[i & 0xFFFF];
            if (set.RulesFor(c) is null)
            {
                misses++;
            }
        }
    }

    var simpleCold = watch.Elapsed.TotalMilliseconds * 1e6 / N;
    for (var round = 0; round < 2; round++)
    {
        watch.Restart();
        for (var i = 0; i < N; i++)
        {
            if (table.Match(packet with { Source = clients[i & 0xFFFF] }, 0) is null)
            {
                misses++;
            }
        }
    }

    var extendedCold = watch.Elapsed.TotalMilliseconds * 1e6 / N;
    var geoDb = Portico.Geo.GeoDatabase.Open(geo);
    var ips = clients.Take(4096).Select(k => AclAddress.ToAddress(k, AclFamily.V4)).ToArray();
    watch.Restart();
    for (var i = 0; i < 200_000; i++)
    {
        misses += geoDb.CountryId(ips[i & 4095]);
    }

    Console.WriteLine($"simple_lookup_cold_ns={simpleCold:F1} extended_lookup_cold_ns={extendedCold:F1} country_lookup_ns={watch.Elapsed.TotalMilliseconds * 1e6 / 200_000:F1}");

    // The whole admission stage as the data path calls it, on a store that holds the 110,000 rules (and the
    // GeoIP database their country rules need), against the same stage with no rule: the added cost per connection.
    Console.WriteLine($"admission_ns_no_rules={Admission(""):F1} admission_ns_all_rules={Admission(string.Join('\n', all)):F1}");
    return 0;
}

static double Admission(string config)
{
    var services = new ServiceCollection();
    services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
    services.AddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
    services.AddPorticoCore();
    using var provider = services.BuildServiceProvider();
    var policy = provider.GetRequiredService<AclAdmissionPolicy>();
    var result = provider.GetRequiredService<ConfigStore>().ApplyAsync(config, "bench", provider).GetAwaiter().GetResult();
    if (!result.Applied)
    {
        throw new InvalidOperationException(result.Describe());
    }

    var vserver = new Portico.Runtime.VserverRuntime(
        new Portico.Model.LbVserver("v", Portico.Model.ServiceType.Tcp, IPAddress.Loopback, 18212, Portico.Model.LbMethod.RoundRobin, null,
            Portico.Model.PersistenceType.None, 2, null, null, null, true, null, [], null, []),
        [], new Portico.Counters.VserverCounters());
    var local = new IPEndPoint(IPAddress.Loopback, 18212);
    var clients = Enumerable.Range(0, 4096).Select(i => new IPEndPoint(new IPAddress(new byte[] { 127, 1, (byte)(i >> 8), (byte)i }), 40000 + i)).ToArray();
    var watch = new Stopwatch();
    const int N = 1_000_000;
    for (var round = 0; round < 2; round++)
    {
        watch.Restart();
        for (var i = 0; i < N; i++)
        {
            if (policy.Deny(clients[i & 4095], local, vserver, ProtocolType.Tcp) is not null)
            {
                throw new InvalidOperationException("the benchmark client is not meant to be denied");
            }
        }
    }

    return watch.Elapsed.TotalMilliseconds * 1e6 / N;
}

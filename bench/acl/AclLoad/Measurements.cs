using System.Diagnostics;
using System.Net.Sockets;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging;
using Portico.Acl.Compiled;
using Portico.Acl;
using Portico.Configuration;
using Portico.Engine;
using Portico.Runtime;

/// <summary>The rule sets of the benchmark and the measurements made in process.</summary>
internal static class Measurements
{
    // 100,000 simple ACLs on sources the client is not (198.18.0.0/15 and 2001:db8::/32), and 10,000 extended
    // ACLs of the shapes operators write, none covering 127.0.0.1 -> VIP: every connection pays a full miss.
    public static IEnumerable<string> Rules(string geo)
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

    public static int WriteConfig(string file, string vipPort, string backendPort, bool rules, string geo)
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

    public static int InProcess(string geo)
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
            new Portico.LoadBalancing.LbVserver("v", Portico.LoadBalancing.ServiceType.Tcp, IPAddress.Loopback, 18212, Portico.LoadBalancing.LbMethod.RoundRobin, null,
                Portico.LoadBalancing.PersistenceType.None, 2, null, null, null, true, null, [], null, []),
            [], Portico.Balancing.BalancingMethods.Create(Portico.LoadBalancing.LbMethod.RoundRobin, []), new Portico.Runtime.VserverCounters());
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
}

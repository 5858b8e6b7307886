using System.Diagnostics.Metrics;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Portico.Counters;
using Portico.Testing;

namespace Portico.Core.Tests.Counters;

/// <summary>The catalogue reads the data path's own fields: counters move as real traffic flows, and the Meter exports them.</summary>
public class CounterCatalogTests
{
    [Fact]
    public async Task Vserver_and_service_counters_move_with_real_connections_and_bytes()
    {
        await using var backend = TestTcpServer.Start("b1");
        await using var host = await PorticoHost.StartAsync($"""
            add service s1 127.0.0.1 TCP {backend.Port}
            add lb vserver v TCP 127.0.0.1 {Ports.Free()}
            bind lb vserver v s1
            """);
        var catalog = host.Services.GetRequiredService<CounterCatalog>();
        Assert.Equal(0, catalog.Read("portico.vserver.connections")["v"]);

        var (open, name) = await TestClient.ConnectAndGreetAsync(host.EndPointOf("v"));
        Assert.Equal("b1", name);
        await open.SendAsync(Encoding.ASCII.GetBytes("hello\n"), SocketFlags.None);
        Assert.Equal("hello", await TestClient.ReadLineAsync(open));
        for (var i = 0; i < 3; i++)
        {
            await TestClient.WhoAnswersAsync(host.EndPointOf("v"));
        }

        Assert.True(await Eventually.TrueAsync(() => catalog.Read("portico.vserver.connections")["v"] == 4, TimeSpan.FromSeconds(5)));
        Assert.True(await Eventually.TrueAsync(() => catalog.Read("portico.vserver.connections.current")["v"] == 1, TimeSpan.FromSeconds(5)));
        Assert.Equal(6, catalog.Read("portico.vserver.received.bytes")["v"]);
        Assert.Equal(4, catalog.Read("portico.service.requests")["s1"]);
        Assert.Equal(1, catalog.Read("portico.service.up")["s1"]);

        // The open pair holds one source port toward the backend, and the table says from where to where.
        var ports = catalog.Read("portico.sourceports.in_use");
        Assert.Equal(1, Assert.Single(ports, p => p.Key.EndsWith($"->{backend.EndPoint}", StringComparison.Ordinal)).Value);
        Assert.True(catalog.Read("portico.sourceports.capacity")[""] > 1000);

        open.Dispose();
        Assert.True(await Eventually.TrueAsync(() => catalog.Read("portico.vserver.connections.current")["v"] == 0, TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task Acl_hits_and_denials_are_counted_per_rule_table_and_vserver()
    {
        await using var backend = TestTcpServer.Start("b1");
        var port = Ports.Free();
        await using var host = await PorticoHost.StartAsync($"""
            add service s1 127.0.0.1 TCP {backend.Port}
            add lb vserver v TCP 127.0.0.1 {port}
            bind lb vserver v s1
            add ns simpleacl blk DENY -srcIP 127.0.0.1 -destPort {port} -protocol TCP
            """);
        var catalog = host.Services.GetRequiredService<CounterCatalog>();
        Assert.Equal(0, catalog.Read("portico.acl.hits")["simple:blk"]);
        Assert.True(await TestClient.IsRefusedAsync(host.EndPointOf("v"), TimeSpan.FromSeconds(5)));

        Assert.True(await Eventually.TrueAsync(() => catalog.Read("portico.acl.hits")["simple:blk"] == 1, TimeSpan.FromSeconds(5)));
        Assert.Equal(1, catalog.Read("portico.acl.table.denied")["simple"]);
        Assert.Equal(1, catalog.Read("portico.vserver.acl_denied")["v"]);
        Assert.Equal(0, catalog.Read("portico.acl.table.hits")["extended"]);

        // Putting ACLs in force is an event (and so a record of the history log).
        await host.MustApplyAsync("add ns acl a1 DENY -srcIP 10.9.9.9\napply ns acls");
        var events = host.Services.GetRequiredService<Portico.Events.EventLog>().Since();
        Assert.Contains(events, e => e.Kind == "ACL_APPLIED" && e.Entity == "ns acls" && e.Message.StartsWith("1 rule(s) in force", StringComparison.Ordinal));
        Assert.Equal(0, catalog.Read("portico.acl.hits")["extended:a1"]);
    }

    [Fact]
    public async Task The_Portico_meter_exports_every_declared_counter_with_its_entity_tag()
    {
        await using var backend = TestTcpServer.Start("b1");
        await using var host = await PorticoHost.StartAsync($"""
            add service s1 127.0.0.1 TCP {backend.Port}
            add lb vserver v TCP 127.0.0.1 {Ports.Free()}
            bind lb vserver v s1
            """);
        var catalog = host.Services.GetRequiredService<CounterCatalog>();
        await TestClient.WhoAnswersAsync(host.EndPointOf("v"));
        Assert.True(await Eventually.TrueAsync(() => catalog.Read("portico.vserver.connections")["v"] == 1, TimeSpan.FromSeconds(5)));

        var cpu = host.Services.GetRequiredService<CpuUsage>();
        cpu.Measure();
        cpu.Measure();
        var seen = new Dictionary<string, List<(double Value, string? Tag)>>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter == catalog.Meter)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        void Record(Instrument i, double v, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var tag = tags.Length > 0 ? tags[0].Value?.ToString() : null;
            (seen.TryGetValue(i.Name, out var list) ? list : seen[i.Name] = []).Add((v, tag));
        }

        listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Record(i, v, tags));
        listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Record(i, v, tags));
        listener.Start();
        listener.RecordObservableInstruments();

        // Every declared counter is an instrument; those with no entity now (no open pair, no ACL rule, no capture, no policy) report nothing.
        string[] empty =
        [
            "portico.sourceports.in_use", "portico.acl.hits", "portico.capture.packets_written", "portico.capture.bytes_written", "portico.capture.dropped",
            .. catalog.Definitions.Select(d => d.Name).Where(n => n.StartsWith("portico.csvserver.", StringComparison.Ordinal)
                || n.StartsWith("portico.cspolicy.", StringComparison.Ordinal) || n.StartsWith("portico.responderpolicy.", StringComparison.Ordinal)
                || n.StartsWith("portico.rewritepolicy.", StringComparison.Ordinal) || n.StartsWith("portico.cachepolicy.", StringComparison.Ordinal)),
        ];
        Assert.Equal(catalog.Definitions.Select(d => d.Name).Except(empty).Order(), seen.Keys.Except(empty).Order());
        Assert.Contains((1.0, "v"), seen["portico.vserver.connections"]);
        Assert.Contains((1.0, "s1"), seen["portico.service.requests"]);
        Assert.All(seen["portico.process.cpu_use"], m => Assert.InRange(m.Value, 0, 1000));
        Assert.Contains(seen["portico.system.cpu_use"], m => m.Tag == "total");
        Assert.All(catalog.Definitions, d => Assert.Matches("^portico\\.[a-z][a-z0-9]*\\.[a-z0-9_.]+$", d.Name));
    }

    [Fact]
    public async Task Cpu_use_is_the_process_cpu_time_over_the_window_in_tenths_of_a_percent_of_all_cores()
    {
        var cpu = new CpuUsage(TimeProvider.System);
        using var self = System.Diagnostics.Process.GetCurrentProcess();
        cpu.Measure();
        var before = self.TotalProcessorTime;
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var until = DateTime.UtcNow.AddMilliseconds(800);
        await Task.Run(() =>
        {
            long x = 0;
            while (DateTime.UtcNow < until)
            {
                x++;
            }

            return x;
        });
        cpu.Measure();
        self.Refresh();

        // The same quantity measured another way (the runtime's own accounting), whatever else loads the machine.
        var expected = (self.TotalProcessorTime - before).TotalSeconds / (watch.Elapsed.TotalSeconds * Environment.ProcessorCount) * 1000;
        Assert.InRange(cpu.ProcessTenths, expected - 60, expected + 60);
        Assert.Equal(File.ReadLines("/proc/stat").Count(l => l.StartsWith("cpu", StringComparison.Ordinal)), cpu.CoreTenths.Count);
        Assert.All(cpu.CoreTenths, v => Assert.InRange(v, 0, 1000));
    }
}

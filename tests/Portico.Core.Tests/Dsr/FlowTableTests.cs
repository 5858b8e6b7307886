using Portico.Dsr;

namespace Portico.Core.Tests.Dsr;

public class FlowTableTests
{
    [Fact]
    public void A_recorded_flow_is_found_until_it_idles_out()
    {
        var table = new FlowTable(64) { IdleTimeoutMs = 1000 };
        ref var e = ref table.Find(1, 1UL << 56 | 80, 7, 100, out var found);
        Assert.False(found);
        (e.Key1, e.Key2, e.LastSeenMs, e.Backend) = (1UL, 1UL << 56 | 80, 100, 3);

        Assert.Equal(3, table.Find(1, 1UL << 56 | 80, 7, 900, out found).Backend);
        Assert.True(found);
        Assert.Equal(1, table.CountLive(900));

        table.Find(1, 1UL << 56 | 80, 7, 2000, out found);
        Assert.False(found);
    }

    [Fact]
    public void A_full_set_gives_up_its_least_recently_seen_flow()
    {
        var table = new FlowTable(4);
        for (var i = 0; i < 4; i++)
        {
            ref var e = ref table.Find((ulong)i + 1, 1UL << 56, 0, 10 + i, out _);
            (e.Key1, e.Key2, e.LastSeenMs, e.Backend) = ((ulong)i + 1, 1UL << 56, 10 + i, i);
        }

        table.Find(3, 1UL << 56, 0, 50, out var found);
        Assert.True(found);
        ref var victim = ref table.Find(99, 1UL << 56, 0, 60, out found);
        Assert.False(found);
        Assert.Equal(1UL, victim.Key1);
    }

    [Fact]
    public void The_flow_hash_has_no_per_process_seed_so_every_node_agrees()
    {
        // 10.99.0.10:40001 -> 10.99.0.100:80 TCP, as the forwarder keys it. A fixed value: another process,
        // another node, or a restart must pick the same server for the same flow.
        var key1 = (0x0A63000AUL << 32) | 0x0A630064UL;
        var key2 = (1UL << 56) | (6UL << 32) | (40001UL << 16) | 80;
        Assert.Equal(DsrPort.FlowHashOf(key1, key2), DsrPort.FlowHashOf(key1, key2));
        Assert.Equal(71937157900690744UL, DsrPort.FlowHashOf(key1, key2));
    }
}

using Portico.HighAvailability;

namespace Portico.Core.Tests.HighAvailability;

/// <summary>The heartbeat datagram: round trip, known vectors, and a stray or damaged packet refused with why.</summary>
public class HeartbeatTests
{
    [Fact]
    public void A_heartbeat_reads_back_the_same()
    {
        var beat = new Heartbeat(HaRole.Primary, HeartbeatFlags.Eligible | HeartbeatFlags.HandOver, 7, 123_456, 0x0102030405060708, 9);
        Assert.True(Heartbeat.TryRead(beat.ToBytes(), out var back, out var why));
        Assert.Null(why);
        Assert.Equal(beat, back);
    }

    [Fact]
    public void The_wire_layout_is_fixed_big_endian()
    {
        var bytes = new Heartbeat(HaRole.Secondary, HeartbeatFlags.Eligible, 0x01020304, 0x0A0B0C0D, 0x1112131415161718, 0x21222324).ToBytes();
        Assert.Equal("50544841" + "01" + "01" + "01" + "00" + "01020304" + "0A0B0C0D" + "1112131415161718" + "21222324", Convert.ToHexString(bytes));
    }

    [Theory]
    [InlineData(-2, 0, 0, "26 bytes, expected 28")]
    [InlineData(1, 0, 0, "29 bytes, expected 28")]
    [InlineData(0, 0, (byte)'X', "not a Portico heartbeat (bad magic)")]
    [InlineData(0, 4, 2, "heartbeat version 2, expected 1")]
    [InlineData(0, 5, 2, "unknown role 2")]
    [InlineData(0, 6, 0x10, "unknown flags 0x10")]
    [InlineData(0, 7, 1, "reserved byte not zero")]
    public void A_damaged_or_foreign_datagram_is_refused_with_why(int lengthChange, int at, byte value, string expected)
    {
        var data = new Heartbeat(HaRole.Primary, HeartbeatFlags.Eligible, 1, 2, 3, 4).ToBytes().ToList();
        if (lengthChange < 0)
        {
            data.RemoveRange(data.Count + lengthChange, -lengthChange);
        }

        data.AddRange(new byte[Math.Max(0, lengthChange)]);
        if (value != 0)
        {
            data[at] = value;
        }

        Assert.False(Heartbeat.TryRead(data.ToArray(), out var beat, out var why));
        Assert.Null(beat);
        Assert.Equal(expected, why);
    }

    [Fact]
    public void Random_datagrams_never_throw_and_only_well_formed_ones_read()
    {
        // A bounded fuzz: every length up to 64 bytes, random contents, plus single-bit flips of a good one.
        var random = new Random(20);
        var good = new Heartbeat(HaRole.Primary, HeartbeatFlags.Eligible, 1, 2, 3, 4).ToBytes();
        for (var i = 0; i < 20_000; i++)
        {
            var data = new byte[random.Next(0, 65)];
            random.NextBytes(data);
            if (Heartbeat.TryRead(data, out var beat, out var why))
            {
                Assert.Equal(data, beat!.ToBytes());
            }
            else
            {
                Assert.NotNull(why);
            }
        }

        for (var bit = 0; bit < good.Length * 8; bit++)
        {
            var flipped = (byte[])good.Clone();
            flipped[bit / 8] ^= (byte)(1 << (bit % 8));
            // Only the role's low bit, the four known flags and the fields past the header may change and still read.
            var allowed = bit == 5 * 8 || (bit >= 6 * 8 && bit < 6 * 8 + 4) || bit >= 8 * 8;
            Assert.Equal(allowed, Heartbeat.TryRead(flipped, out var beat, out _));
            if (allowed)
            {
                Assert.Equal(flipped, beat!.ToBytes());
            }
        }
    }
}

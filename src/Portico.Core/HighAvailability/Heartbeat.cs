using System.Buffers.Binary;

namespace Portico.HighAvailability;

/// <summary>Flags a heartbeat carries.</summary>
[Flags]
public enum HeartbeatFlags : byte
{
    None = 0,

    /// <summary>The sender may become primary (ENABLED or STAYPRIMARY, and its uplink is up).</summary>
    Eligible = 1,

    /// <summary>The sender is STAYPRIMARY: it wins any contest.</summary>
    StayPrimary = 2,

    /// <summary>The sender stepped down on <c>force HA failover</c>: the receiver takes over.</summary>
    HandOver = 4,

    /// <summary>The sender (a secondary) ran <c>force HA failover</c>: the primary hands over.</summary>
    RequestTakeover = 8,
}

/// <summary>
/// One heartbeat: sent every hello interval over UDP from each node's own address to the peer's. Fixed
/// 28 bytes, network byte order: magic <c>PTHA</c>, version 1, role, flags, reserved 0, sequence (4),
/// how long the sender has been primary in ms (4, saturating; 0 for a secondary), the digest of the config
/// the sender would sync (8), the sender's sync epoch (4: bumped by <c>force HA sync</c>).
/// </summary>
public sealed record Heartbeat(HaRole Role, HeartbeatFlags Flags, uint Sequence, uint PrimaryForMilliseconds, ulong ConfigDigest, uint SyncEpoch)
{
    public const int Size = 28;
    private const byte Version = 1;
    private static ReadOnlySpan<byte> Magic => "PTHA"u8;

    public void Write(Span<byte> into)
    {
        Magic.CopyTo(into);
        into[4] = Version;
        into[5] = (byte)Role;
        into[6] = (byte)Flags;
        into[7] = 0;
        BinaryPrimitives.WriteUInt32BigEndian(into[8..], Sequence);
        BinaryPrimitives.WriteUInt32BigEndian(into[12..], PrimaryForMilliseconds);
        BinaryPrimitives.WriteUInt64BigEndian(into[16..], ConfigDigest);
        BinaryPrimitives.WriteUInt32BigEndian(into[24..], SyncEpoch);
    }

    public byte[] ToBytes()
    {
        var bytes = new byte[Size];
        Write(bytes);
        return bytes;
    }

    /// <summary>
    /// Reads a datagram strictly: exactly <see cref="Size"/> bytes, the magic, version 1, a known role, known
    /// flags and a zero reserved byte; anything else is refused with why (a stray packet must not move a role).
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> datagram, out Heartbeat? heartbeat, out string? why)
    {
        heartbeat = null;
        why = datagram.Length != Size ? $"{datagram.Length} bytes, expected {Size}"
            : !datagram[..4].SequenceEqual(Magic) ? "not a Portico heartbeat (bad magic)"
            : datagram[4] != Version ? $"heartbeat version {datagram[4]}, expected {Version}"
            : datagram[5] > (byte)HaRole.Secondary ? $"unknown role {datagram[5]}"
            : (datagram[6] & ~0x0F) != 0 ? $"unknown flags 0x{datagram[6]:x2}"
            : datagram[7] != 0 ? "reserved byte not zero"
            : null;
        if (why is not null)
        {
            return false;
        }

        heartbeat = new Heartbeat(
            (HaRole)datagram[5],
            (HeartbeatFlags)datagram[6],
            BinaryPrimitives.ReadUInt32BigEndian(datagram[8..]),
            BinaryPrimitives.ReadUInt32BigEndian(datagram[12..]),
            BinaryPrimitives.ReadUInt64BigEndian(datagram[16..]),
            BinaryPrimitives.ReadUInt32BigEndian(datagram[24..]));
        return true;
    }
}

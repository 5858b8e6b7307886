using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Portico.Dsr.Native;

namespace Portico.Dsr;

/// <summary>How a DSR port receives frames (sending is <c>sendmmsg</c> either way).</summary>
public enum PacketIo
{
    /// <summary>A TPACKET_V3 ring shared with the kernel: no system call per batch while frames keep coming.</summary>
    Ring,

    /// <summary><c>recvmmsg</c> into a batch of slots: a system call and a copy per batch.</summary>
    Mmsg,
}

/// <summary>
/// An AF_PACKET socket bound to one interface, with a batch of receive slots in native memory. Frames
/// are received with <c>recvmmsg</c> and sent back out of the same slots with <c>sendmmsg</c>: a
/// forwarded frame is rewritten in place and never copied in user space.
/// </summary>
/// <remarks>
/// The socket carries a virtio-net header before each frame (<c>PACKET_VNET_HDR</c>): a TCP sender
/// on a veth or a NIC with offloads hands over 64 KiB segments with a partial checksum, and the header
/// tells the kernel to cut and checksum them on the way out, exactly as it would have on the
/// sender's own wire. Without it Portico would have to segment in user space or ask every client to
/// turn offloads off.
/// </remarks>
internal sealed unsafe class PacketSocket : IDisposable
{
    /// <summary>struct virtio_net_hdr, before every frame.</summary>
    public const int VnetHeader = 10;

    /// <summary>The largest frame a slot holds: a 64 KiB GSO segment with its headers.</summary>
    public const int SlotSize = 65536 + 256;

    private const int PacketVnetHdr = 15;
    private const int MsgTrunc = 0x20;

    private readonly int _fd;
    private readonly byte* _slots;
    private readonly PacketNative.MMsgHdr* _rx;
    private readonly PacketNative.IoVec* _rxIov;
    private readonly PacketNative.MMsgHdr* _tx;
    private readonly PacketNative.IoVec* _txIov;
    private readonly byte* _scratch;
    private readonly PacketIo _io;
    private readonly int _txCapacity;
    private int _queued;
    private bool _disposed;

    // TPACKET_V3 receive ring: blocks the kernel fills and hands over whole (see docs/design/dsr.md).
    private const uint RingBlockSize = 1 << 20;
    private const uint RingBlocks = 16;
    private const int MaxFramesPerBlock = (int)(RingBlockSize / 64);
    private byte* _ring;
    private int _block;
    private int _pendingBlock = -1;
    private readonly byte** _framePointers;
    private readonly int* _frameLengths;

    private PacketSocket(int fd, int batch, PacketIo io)
    {
        _fd = fd;
        _io = io;
        Batch = batch;
        _txCapacity = io == PacketIo.Ring ? MaxFramesPerBlock : batch;
        _slots = io == PacketIo.Ring ? null : (byte*)NativeMemory.AlignedAlloc((nuint)(SlotSize * batch), 64);
        _rx = (PacketNative.MMsgHdr*)NativeMemory.AllocZeroed((nuint)(sizeof(PacketNative.MMsgHdr) * batch));
        _tx = (PacketNative.MMsgHdr*)NativeMemory.AllocZeroed((nuint)(sizeof(PacketNative.MMsgHdr) * _txCapacity));
        _rxIov = (PacketNative.IoVec*)NativeMemory.AllocZeroed((nuint)(sizeof(PacketNative.IoVec) * batch));
        _txIov = (PacketNative.IoVec*)NativeMemory.AllocZeroed((nuint)(sizeof(PacketNative.IoVec) * _txCapacity));
        _framePointers = (byte**)NativeMemory.AllocZeroed((nuint)(sizeof(byte*) * MaxFramesPerBlock));
        _frameLengths = (int*)NativeMemory.AllocZeroed((nuint)(sizeof(int) * MaxFramesPerBlock));
        _scratch = (byte*)NativeMemory.AllocZeroed(256);
        for (var i = 0; i < batch; i++)
        {
            _rxIov[i] = new PacketNative.IoVec { Base = _slots + (i * SlotSize), Length = SlotSize };
            _rx[i].Header.Iov = &_rxIov[i];
            _rx[i].Header.IovLength = 1;
        }

        for (var i = 0; i < _txCapacity; i++)
        {
            _tx[i].Header.Iov = &_txIov[i];
            _tx[i].Header.IovLength = 1;
        }
    }

    /// <summary>Frames one <see cref="Receive"/> may return.</summary>
    public int Batch { get; }

    /// <summary>Frames the kernel handed over truncated (larger than a slot); they are dropped.</summary>
    public long Truncated { get; private set; }

    /// <summary>Frames the interface refused to send (queue full, interface down).</summary>
    public long SendFailures { get; private set; }

    /// <summary>Opens a socket on <paramref name="nic"/> that sees only ARP and IPv4 frames to <paramref name="vips"/>.</summary>
    public static PacketSocket Open(NetInterface nic, IReadOnlyList<uint> vips, PacketIo io = PacketIo.Ring, int batch = 64)
    {
        // Protocol 0 until bound: the socket receives nothing before its filter is in place.
        var fd = PacketNative.Socket(PacketNative.AF_PACKET, PacketNative.SOCK_RAW | PacketNative.SOCK_CLOEXEC, 0);
        if (fd < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw new DsrException(errno is PacketNative.EPERM or PacketNative.EACCES
                ? $"cannot open a packet socket for {nic.Name}: permission denied. DSR needs root or CAP_NET_RAW (setcap cap_net_raw+ep on the dotnet host, or run as root)"
                : $"cannot open a packet socket for {nic.Name}: {Marshal.GetPInvokeErrorMessage(errno)}");
        }

        var socket = new PacketSocket(fd, batch, io);
        try
        {
            Check(PacketNative.SetInt(fd, PacketNative.SOL_PACKET, PacketVnetHdr, 1), "PACKET_VNET_HDR");
            Check(PacketNative.SetInt(fd, PacketNative.SOL_PACKET, PacketNative.PACKET_IGNORE_OUTGOING, 1), "PACKET_IGNORE_OUTGOING");
            if (io == PacketIo.Ring)
            {
                socket.MapRing();
            }

            if (PacketNative.SetInt(fd, PacketNative.SOL_SOCKET, PacketNative.SO_RCVBUFFORCE, 16 << 20) != 0)
            {
                _ = PacketNative.SetInt(fd, PacketNative.SOL_SOCKET, PacketNative.SO_RCVBUF, 16 << 20);
            }

            // A bounded wait lets the forwarder run its timers (ARP, expiry) and notice a stop.
            var timeout = new PacketNative.TimeVal { Seconds = 0, Microseconds = 100_000 };
            Check(PacketNative.SetSockOpt(fd, PacketNative.SOL_SOCKET, PacketNative.SO_RCVTIMEO, &timeout, sizeof(PacketNative.TimeVal)), "SO_RCVTIMEO");
            socket.SetFilter(vips);
            var address = new PacketNative.SockAddrLl
            {
                Family = PacketNative.AF_PACKET,
                Protocol = BinaryPrimitives.ReverseEndianness(PacketNative.ETH_P_ALL),
                IfIndex = nic.Index,
            };
            if (PacketNative.Bind(fd, &address, sizeof(PacketNative.SockAddrLl)) != 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                throw new DsrException(errno is PacketNative.ENODEV or PacketNative.ENXIO
                    ? $"interface {nic.Name} went away"
                    : $"cannot bind a packet socket to {nic.Name}: {Marshal.GetPInvokeErrorMessage(errno)}");
            }
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        return socket;
    }

    /// <summary>Replaces the kernel filter (atomically) when the VIPs on the interface change.</summary>
    public void SetFilter(IReadOnlyList<uint> vips)
    {
        var program = PacketFilter.For(vips);
        fixed (PacketNative.SockFilter* p = program)
        {
            var fprog = new PacketNative.SockFprog { Length = (ushort)program.Length, Filter = p };
            Check(PacketNative.SetSockOpt(_fd, PacketNative.SOL_SOCKET, PacketNative.SO_ATTACH_FILTER, &fprog, sizeof(PacketNative.SockFprog)), "SO_ATTACH_FILTER");
        }
    }

    private void MapRing()
    {
        Check(PacketNative.SetInt(_fd, PacketNative.SOL_PACKET, PacketNative.PACKET_VERSION, PacketNative.TPACKET_V3), "PACKET_VERSION");
        var req = new PacketNative.TpacketReq3
        {
            BlockSize = RingBlockSize,
            BlockCount = RingBlocks,
            FrameSize = 2048,
            FrameCount = RingBlockSize / 2048 * RingBlocks,

            // A block goes to Portico when full or after 1 ms: the latency bound at low rates.
            RetireBlockTimeoutMs = 1,
        };
        Check(PacketNative.SetSockOpt(_fd, PacketNative.SOL_PACKET, PacketNative.PACKET_RX_RING, &req, sizeof(PacketNative.TpacketReq3)), "PACKET_RX_RING");
        var map = PacketNative.Mmap(0, RingBlockSize * RingBlocks, PacketNative.PROT_READ | PacketNative.PROT_WRITE, PacketNative.MAP_SHARED, _fd, 0);
        if (map == -1)
        {
            throw new DsrException($"mapping the packet ring failed: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
        }

        _ring = (byte*)map;
    }

    /// <summary>Waits up to 100 ms for frames; returns how many are ready (0 on timeout).</summary>
    public int Receive() => _io == PacketIo.Ring ? ReceiveBlock() : ReceiveBatch();

    private int ReceiveBlock()
    {
        if (_pendingBlock >= 0)
        {
            // Every frame of the previous block was sent (Flush copies them): give it back to the kernel.
            var done = (PacketNative.TpacketBlockDesc*)(_ring + ((long)_pendingBlock * RingBlockSize));
            Volatile.Write(ref done->BlockStatus, 0);
            _pendingBlock = -1;
        }

        var block = (PacketNative.TpacketBlockDesc*)(_ring + ((long)_block * RingBlockSize));
        if ((Volatile.Read(ref block->BlockStatus) & PacketNative.TP_STATUS_USER) == 0)
        {
            var poll = new PacketNative.PollFd { Fd = _fd, Events = PacketNative.POLLIN };
            if (PacketNative.Poll(&poll, 1, 100) < 0 && Marshal.GetLastPInvokeError() != PacketNative.EINTR)
            {
                throw new DsrException($"waiting for frames failed: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
            }

            if ((Volatile.Read(ref block->BlockStatus) & PacketNative.TP_STATUS_USER) == 0)
            {
                return 0;
            }
        }

        var count = (int)Math.Min(block->PacketCount, (uint)MaxFramesPerBlock);
        var packet = (byte*)block + block->OffsetToFirstPacket;
        for (var i = 0; i < count; i++)
        {
            var header = (PacketNative.Tpacket3Hdr*)packet;
            _framePointers[i] = packet + header->Mac;
            _frameLengths[i] = header->SnapLength == header->Length ? (int)header->SnapLength : -1;
            packet += header->NextOffset;
        }

        _pendingBlock = _block;
        _block = (_block + 1) % (int)RingBlocks;
        return count;
    }

    private int ReceiveBatch()
    {
        var n = PacketNative.RecvMmsg(_fd, _rx, (uint)Batch, PacketNative.MSG_WAITFORONE, null);
        if (n >= 0)
        {
            return n;
        }

        var errno = Marshal.GetLastPInvokeError();
        if (errno is PacketNative.EAGAIN or PacketNative.EINTR)
        {
            return 0;
        }

        throw new DsrException($"receiving frames failed: {Marshal.GetPInvokeErrorMessage(errno)}");
    }

    /// <summary>The frame in slot <paramref name="i"/> (after its virtio-net header), or empty when it was truncated.</summary>
    public Span<byte> Frame(int i)
    {
        if (_io == PacketIo.Ring)
        {
            if (_frameLengths[i] < 0)
            {
                Truncated++;
                return [];
            }

            return new Span<byte>(_framePointers[i], _frameLengths[i]);
        }

        var length = (int)_rx[i].Length - VnetHeader;
        if ((_rx[i].Header.Flags & MsgTrunc) != 0 || length < 0)
        {
            Truncated++;
            return [];
        }

        return new Span<byte>(_slots + (i * SlotSize) + VnetHeader, length);
    }

    /// <summary>Queues the (rewritten) frame of slot <paramref name="i"/> to go out with the next <see cref="Flush"/>.</summary>
    public void Queue(int i)
    {
        // The virtio-net header sits right before the frame, in a slot as in the ring.
        _txIov[_queued] = _io == PacketIo.Ring
            ? new PacketNative.IoVec { Base = _framePointers[i] - VnetHeader, Length = (nuint)(_frameLengths[i] + VnetHeader) }
            : new PacketNative.IoVec { Base = _slots + (i * SlotSize), Length = _rx[i].Length };
        _queued++;
    }

    /// <summary>Sends every queued frame, in as few system calls as the kernel allows.</summary>
    public void Flush()
    {
        var sent = 0;
        while (sent < _queued)
        {
            var n = PacketNative.SendMmsg(_fd, _tx + sent, (uint)(_queued - sent), 0);
            if (n > 0)
            {
                sent += n;
                continue;
            }

            if (Marshal.GetLastPInvokeError() == PacketNative.EINTR)
            {
                continue;
            }

            // The frame at the head was refused (queue full, link down): drop it, send the rest.
            SendFailures++;
            sent++;
        }

        _queued = 0;
    }

    /// <summary>Sends one frame Portico built itself (ARP), with an empty virtio-net header.</summary>
    public void SendOwn(ReadOnlySpan<byte> frame)
    {
        new Span<byte>(_scratch, VnetHeader).Clear();
        frame.CopyTo(new Span<byte>(_scratch + VnetHeader, 256 - VnetHeader));
        if (PacketNative.Send(_fd, _scratch, (nuint)(frame.Length + VnetHeader), 0) < 0)
        {
            SendFailures++;
        }
    }

    private static void Check(int result, string what)
    {
        if (result != 0)
        {
            throw new DsrException($"setting {what} on a packet socket failed: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (_ring is not null)
        {
            _ = PacketNative.Munmap((nint)_ring, RingBlockSize * RingBlocks);
        }

        _ = PacketNative.Close(_fd);
        if (_slots is not null)
        {
            NativeMemory.AlignedFree(_slots);
        }

        NativeMemory.Free(_framePointers);
        NativeMemory.Free(_frameLengths);
        NativeMemory.Free(_rx);
        NativeMemory.Free(_tx);
        NativeMemory.Free(_rxIov);
        NativeMemory.Free(_txIov);
        NativeMemory.Free(_scratch);
    }
}

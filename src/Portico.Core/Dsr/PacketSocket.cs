using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Portico.Dsr.Native;

namespace Portico.Dsr;

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
    private int _queued;
    private bool _disposed;

    private PacketSocket(int fd, int batch)
    {
        _fd = fd;
        Batch = batch;
        _slots = (byte*)NativeMemory.AlignedAlloc((nuint)(SlotSize * batch), 64);
        _rx = (PacketNative.MMsgHdr*)NativeMemory.AllocZeroed((nuint)(sizeof(PacketNative.MMsgHdr) * batch));
        _tx = (PacketNative.MMsgHdr*)NativeMemory.AllocZeroed((nuint)(sizeof(PacketNative.MMsgHdr) * batch));
        _rxIov = (PacketNative.IoVec*)NativeMemory.AllocZeroed((nuint)(sizeof(PacketNative.IoVec) * batch));
        _txIov = (PacketNative.IoVec*)NativeMemory.AllocZeroed((nuint)(sizeof(PacketNative.IoVec) * batch));
        _scratch = (byte*)NativeMemory.AllocZeroed(256);
        for (var i = 0; i < batch; i++)
        {
            _rxIov[i] = new PacketNative.IoVec { Base = _slots + (i * SlotSize), Length = SlotSize };
            _rx[i].Header.Iov = &_rxIov[i];
            _rx[i].Header.IovLength = 1;
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
    public static PacketSocket Open(NetInterface nic, IReadOnlyList<uint> vips, int batch = 64)
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

        var socket = new PacketSocket(fd, batch);
        try
        {
            Check(PacketNative.SetInt(fd, PacketNative.SOL_PACKET, PacketVnetHdr, 1), "PACKET_VNET_HDR");
            Check(PacketNative.SetInt(fd, PacketNative.SOL_PACKET, PacketNative.PACKET_IGNORE_OUTGOING, 1), "PACKET_IGNORE_OUTGOING");
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

    /// <summary>Waits up to 100 ms for frames; returns how many slots were filled (0 on timeout).</summary>
    public int Receive()
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
        _txIov[_queued] = new PacketNative.IoVec { Base = _slots + (i * SlotSize), Length = _rx[i].Length };
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
        _ = PacketNative.Close(_fd);
        NativeMemory.AlignedFree(_slots);
        NativeMemory.Free(_rx);
        NativeMemory.Free(_tx);
        NativeMemory.Free(_rxIov);
        NativeMemory.Free(_txIov);
        NativeMemory.Free(_scratch);
    }
}

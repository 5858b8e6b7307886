using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Portico.HighAvailability;

/// <summary>
/// Adds and removes an interface address with one rtnetlink request and its acknowledgement (what
/// <c>ip addr add|del</c> sends), from this process. A spawned <c>ip</c> cost tens to hundreds of milliseconds
/// on the takeover path of a loaded machine (bench/ha); the request itself is a system call.
/// </summary>
internal static unsafe partial class AddressNetlink
{
    private const int AfNetlink = 16;
    private const int SockRaw = 3;
    private const int SockCloexec = 0x80000;
    private const int NetlinkRoute = 0;
    private const int SolSocket = 1;
    private const int SoRcvtimeo = 20;
    private const ushort RtmNewAddr = 20;
    private const ushort RtmDelAddr = 21;
    private const ushort NlmsgError = 2;
    private const ushort NlmFRequest = 0x1;
    private const ushort NlmFAck = 0x4;
    private const ushort NlmFExcl = 0x200;
    private const ushort NlmFCreate = 0x400;
    private const ushort IfaAddress = 1;
    private const ushort IfaLocal = 2;

    /// <summary><c>ip addr add</c>: an error in an operator's words, or null.</summary>
    public static string? Add(string nic, OwnedAddress a) => Request(nic, a, RtmNewAddr, NlmFRequest | NlmFAck | NlmFCreate | NlmFExcl, "adding");

    /// <summary><c>ip addr del</c>: an error in an operator's words, or null.</summary>
    public static string? Remove(string nic, OwnedAddress a) => Request(nic, a, RtmDelAddr, NlmFRequest | NlmFAck, "removing");

    /// <summary>The request: nlmsghdr, ifaddrmsg, IFA_LOCAL and IFA_ADDRESS (both the address, as ip sends them).</summary>
    internal static int Write(Span<byte> m, ushort type, ushort flags, int index, OwnedAddress a, uint sequence)
    {
        var address = a.Address.GetAddressBytes();
        var attribute = 4 + ((address.Length + 3) & ~3);
        var length = 16 + 8 + (2 * attribute);
        m[..length].Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(m, (uint)length);
        BinaryPrimitives.WriteUInt16LittleEndian(m[4..], type);
        BinaryPrimitives.WriteUInt16LittleEndian(m[6..], flags);
        BinaryPrimitives.WriteUInt32LittleEndian(m[8..], sequence);
        m[16] = (byte)(a.Address.AddressFamily == AddressFamily.InterNetwork ? 2 : 10);
        m[17] = (byte)a.PrefixLength;
        BinaryPrimitives.WriteInt32LittleEndian(m[20..], index);
        var at = 24;
        foreach (var kind in new[] { IfaLocal, IfaAddress })
        {
            BinaryPrimitives.WriteUInt16LittleEndian(m[at..], (ushort)(4 + address.Length));
            BinaryPrimitives.WriteUInt16LittleEndian(m[(at + 2)..], kind);
            address.CopyTo(m[(at + 4)..]);
            at += attribute;
        }

        return length;
    }

    private static string? Request(string nic, OwnedAddress a, ushort type, ushort flags, string doing)
    {
        var what = $"{doing} {a} {(type == RtmNewAddr ? "to" : "from")} {nic}";
        var index = (int)IfNameToIndex(nic);
        if (index == 0)
        {
            return $"{what}: no such interface";
        }

        var fd = Socket(AfNetlink, SockRaw | SockCloexec, NetlinkRoute);
        if (fd < 0)
        {
            return $"{what}: cannot open a netlink socket: {LastError()}";
        }

        try
        {
            // The kernel answers at once; the bound only keeps a wedged kernel from holding the takeover.
            var timeout = stackalloc long[] { 2, 0 };
            SetSockOpt(fd, SolSocket, SoRcvtimeo, timeout, 2 * sizeof(long));
            Span<byte> m = stackalloc byte[64];
            var sequence = (uint)Environment.TickCount;
            var length = Write(m, type, flags, index, a, sequence);
            fixed (byte* p = m)
            {
                if (Send(fd, p, (nuint)length, 0) < 0)
                {
                    return $"{what}: {LastError()}";
                }
            }

            Span<byte> answer = stackalloc byte[1024];
            while (true)
            {
                nint got;
                fixed (byte* p = answer)
                {
                    got = Recv(fd, p, (nuint)answer.Length, 0);
                }

                if (got < 0)
                {
                    return $"{what}: no answer from the kernel: {LastError()}";
                }

                if (got < 20 || BinaryPrimitives.ReadUInt32LittleEndian(answer[8..]) != sequence || BinaryPrimitives.ReadUInt16LittleEndian(answer[4..]) != NlmsgError)
                {
                    continue;
                }

                var errno = -BinaryPrimitives.ReadInt32LittleEndian(answer[16..]);
                return errno == 0 ? null : $"{what}: {Marshal.GetPInvokeErrorMessage(errno)}";
            }
        }
        finally
        {
            Close(fd);
        }
    }

    private static string LastError() => Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError());

    [LibraryImport("libc", EntryPoint = "socket", SetLastError = true)]
    private static partial int Socket(int domain, int type, int protocol);

    [LibraryImport("libc", EntryPoint = "setsockopt", SetLastError = true)]
    private static partial int SetSockOpt(int fd, int level, int name, void* value, int length);

    [LibraryImport("libc", EntryPoint = "send", SetLastError = true)]
    private static partial nint Send(int fd, byte* buffer, nuint length, int flags);

    [LibraryImport("libc", EntryPoint = "recv", SetLastError = true)]
    private static partial nint Recv(int fd, byte* buffer, nuint length, int flags);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);

    [LibraryImport("libc", EntryPoint = "if_nametoindex", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial uint IfNameToIndex(string name);
}

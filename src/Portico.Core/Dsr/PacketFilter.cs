using Portico.Dsr.Native;

namespace Portico.Dsr;

/// <summary>
/// The classic BPF program attached to a DSR port's socket, so the kernel copies to Portico only the
/// frames it acts on: ARP (to answer for the VIPs and learn the servers' MACs) and IPv4 frames sent to
/// one of the VIPs. Everything else on the interface (the host's own traffic) never leaves the kernel.
/// </summary>
internal static class PacketFilter
{
    /// <summary>BPF jump offsets are one byte: past this many VIPs every IPv4 frame is let through and sorted in user space.</summary>
    public const int MaxVips = 250;

    private const ushort LdHalfAbs = 0x28;
    private const ushort LdWordAbs = 0x20;
    private const ushort JeqK = 0x15;
    private const ushort RetK = 0x06;
    private const uint Accept = 0x40000;

    /// <summary>The program for <paramref name="vips"/> (addresses in host order, as <c>ld</c> loads them).</summary>
    public static PacketNative.SockFilter[] For(IReadOnlyList<uint> vips)
    {
        var n = vips.Count;
        if (n == 0 || n > MaxVips)
        {
            // No VIP: ARP only. Too many for one-byte jumps: ARP and all of IPv4.
            return n == 0
                ? [Ins(LdHalfAbs, 12), Ins(JeqK, 0x0806, 0, 1), Ins(RetK, Accept), Ins(RetK, 0)]
                : [Ins(LdHalfAbs, 12), Ins(JeqK, 0x0806, 1, 0), Ins(JeqK, 0x0800, 0, 1), Ins(RetK, Accept), Ins(RetK, 0)];
        }

        // 0 ldh [12]; 1 jeq ARP -> accept; 2 jeq IPv4 else drop; 3 ld [30] (IPv4 destination);
        // 4.. jeq vip -> accept; then accept; drop. Offsets count from the next instruction.
        var program = new List<PacketNative.SockFilter>
        {
            Ins(LdHalfAbs, 12),
            Ins(JeqK, 0x0806, (byte)(n + 2), 0),
            Ins(JeqK, 0x0800, 0, (byte)(n + 2)),
            Ins(LdWordAbs, 30),
        };
        for (var k = 0; k < n; k++)
        {
            program.Add(Ins(JeqK, vips[k], (byte)(n - 1 - k), (byte)(k == n - 1 ? 1 : 0)));
        }

        program.Add(Ins(RetK, Accept));
        program.Add(Ins(RetK, 0));
        return [.. program];
    }

    private static PacketNative.SockFilter Ins(ushort code, uint k, byte jt = 0, byte jf = 0) =>
        new() { Code = code, K = k, JumpTrue = jt, JumpFalse = jf };
}

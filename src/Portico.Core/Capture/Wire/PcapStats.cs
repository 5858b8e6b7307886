using System.Runtime.InteropServices;
using SharpPcap.LibPcap;

namespace Portico.Capture.Wire;

/// <summary>
/// pcap_stats(3PCAP): the packets the kernel dropped because the capture's ring was full. SharpPcap 6.3.1
/// reads <c>struct pcap_stat</c> with pointer-sized fields while libpcap's are <c>u_int</c>, so on 64-bit
/// Linux its <c>DroppedPackets</c> is really <c>ps_ifdrop</c> (measured: 0 while tcpdump on the same load
/// reported 388,609 kernel drops); Portico reads the struct itself.
/// </summary>
internal static unsafe class PcapStats
{
    private static readonly delegate* unmanaged<IntPtr, Stat*, int> Function = (delegate* unmanaged<IntPtr, Stat*, int>)NativePcap.Export("pcap_stats");

    /// <summary>Packets dropped by the kernel for this capture since it opened, or null when unavailable.</summary>
    public static long? Dropped(LibPcapLiveDevice device)
    {
        if (Function is null || device.Handle is not { IsInvalid: false, IsClosed: false } handle)
        {
            return null;
        }

        var added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            Stat stat;
            return Function(handle.DangerousGetHandle(), &stat) == 0 ? stat.Drop : null;
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct Stat
    {
        public uint Received;
        public uint Drop;
        public uint InterfaceDrop;
        public uint Captured; // bs_capt on Windows; room to spare elsewhere
    }
}

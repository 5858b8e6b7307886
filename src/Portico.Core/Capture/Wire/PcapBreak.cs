using SharpPcap.LibPcap;

namespace Portico.Capture.Wire;

/// <summary>
/// pcap_breakloop(3PCAP) from another thread. With TPACKET_V3, libpcap may wait in poll() for as long as no
/// packet arrives; since libpcap 1.10 pcap_breakloop wakes that wait on Linux, which is how a capture of a
/// silent interface stops at once. SharpPcap keeps its binding internal, so Portico binds the function itself.
/// </summary>
internal static unsafe class PcapBreak
{
    private static readonly delegate* unmanaged<IntPtr, void> Function = (delegate* unmanaged<IntPtr, void>)NativePcap.Export("pcap_breakloop");

    /// <summary>Asks the capture reading <paramref name="device"/> to return; false when libpcap lacks the function.</summary>
    public static bool Wake(LibPcapLiveDevice device)
    {
        if (Function is null || device.Handle is not { IsInvalid: false, IsClosed: false } handle)
        {
            return false;
        }

        var added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            Function(handle.DangerousGetHandle());
            return true;
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }
}

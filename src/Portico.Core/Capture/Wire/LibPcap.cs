using PacketDotNet;
using SharpPcap;
using SharpPcap.LibPcap;

namespace Portico.Capture.Wire;

/// <summary>
/// The native libpcap behind SharpPcap, and the operator's fix for each way it can fail: not installed,
/// no right to capture, a filter it cannot compile.
/// </summary>
internal static class LibPcap
{
    /// <summary>What to do when the shared library is missing.</summary>
    public const string InstallHint = "libpcap is not installed: install it (Debian/Ubuntu: apt-get install libpcap0.8; RHEL/Fedora: dnf install libpcap) and start the capture again";

    /// <summary>What to do when the process may not open capture sockets.</summary>
    public static string PermissionHint(string device) =>
        $"capturing on {device} needs root or the CAP_NET_RAW and CAP_NET_ADMIN capabilities: run Portico as root, "
        + "or grant them to the runtime (sudo setcap cap_net_raw,cap_net_admin=eip \"$(readlink -f \"$(command -v dotnet)\")\"); "
        + "-mode SSLPLAIN needs neither";

    /// <summary>Compiles <paramref name="bpf"/> for frames of <paramref name="linkType"/>; returns libpcap's complaint, or null.</summary>
    public static string? Check(string bpf, LinkLayers linkType)
    {
        try
        {
            using var program = BpfProgram.Create(linkType, bpf);
            return null;
        }
        catch (PcapException e)
        {
            return e.Message;
        }
        catch (Exception e) when (IsMissingLibrary(e))
        {
            throw new TraceStartException(InstallHint);
        }
    }

    /// <summary>A compiled filter for the tap's raw IP packets; throws with libpcap's message.</summary>
    public static BpfProgram Compile(string bpf, LinkLayers linkType)
    {
        try
        {
            return BpfProgram.Create(linkType, bpf);
        }
        catch (PcapException e)
        {
            throw new TraceStartException($"the filter does not compile: {e.Message}");
        }
        catch (Exception e) when (IsMissingLibrary(e))
        {
            throw new TraceStartException(InstallHint);
        }
    }

    /// <summary>True for the ways .NET reports a native library it cannot load.</summary>
    public static bool IsMissingLibrary(Exception e) => e switch
    {
        DllNotFoundException or EntryPointNotFoundException => true,
        TypeInitializationException { InnerException: { } inner } => IsMissingLibrary(inner),
        _ => false,
    };

    /// <summary>True when a device failed to open for lack of rights.</summary>
    public static bool IsPermissionDenied(Exception e) =>
        e.Message.Contains("permission", StringComparison.OrdinalIgnoreCase)
        || e.Message.Contains("not permitted", StringComparison.OrdinalIgnoreCase)
        || e is PcapException { Error: PcapError.PermissionDenied };
}

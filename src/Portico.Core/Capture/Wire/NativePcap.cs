using System.Runtime.InteropServices;

namespace Portico.Capture.Wire;

/// <summary>Functions of the native libpcap that SharpPcap does not expose correctly, looked up by name.</summary>
internal static class NativePcap
{
    private static readonly IntPtr Library = Load();

    /// <summary>The address of <paramref name="name"/> in libpcap, or zero when libpcap or the function is missing.</summary>
    public static IntPtr Export(string name) =>
        Library != IntPtr.Zero && NativeLibrary.TryGetExport(Library, name, out var export) ? export : IntPtr.Zero;

    private static IntPtr Load()
    {
        foreach (var name in (string[])["libpcap.so.0.8", "libpcap.so.1", "libpcap.so"])
        {
            if (NativeLibrary.TryLoad(name, out var library))
            {
                return library;
            }
        }

        return IntPtr.Zero;
    }
}

using System.Runtime.InteropServices;

namespace Portico.Capture.Files;

/// <summary>Free bytes on the file system holding a path (statvfs(3): what an unprivileged writer may still use).</summary>
internal static partial class FreeSpace
{
    /// <summary>Bytes available to unprivileged users, or null when the kernel does not say.</summary>
    public static long? Of(string path)
    {
        Span<byte> buffer = stackalloc byte[112]; // struct statvfs on 64-bit Linux
        if (StatVfs(path, ref MemoryMarshal.GetReference(buffer)) != 0)
        {
            return null;
        }

        var blockSize = BitConverter.ToUInt64(buffer[..8]);     // f_bsize
        var fragmentSize = BitConverter.ToUInt64(buffer[8..16]); // f_frsize
        var available = BitConverter.ToUInt64(buffer[32..40]);   // f_bavail, in fragments
        return (long)(available * (fragmentSize != 0 ? fragmentSize : blockSize));
    }

    [LibraryImport("libc", EntryPoint = "statvfs", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int StatVfs(string path, ref byte buffer);
}

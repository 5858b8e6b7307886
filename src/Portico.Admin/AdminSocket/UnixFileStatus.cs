using System.Runtime.InteropServices;

namespace Portico.Admin.AdminSocket;

/// <summary>
/// Owner, mode and type of a path, from <c>statx(2)</c>: .NET exposes a file's mode but not its owner,
/// and the admin socket's trust rests on both. <c>statx</c> is used rather than <c>stat</c> because
/// its struct has one layout on every architecture.
/// </summary>
internal readonly partial record struct UnixFileStatus(uint Uid, uint Mode)
{
    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const uint StatxType = 0x1;
    private const uint StatxMode = 0x2;
    private const uint StatxUid = 0x8;
    private const int StatxSize = 256;
    private const int Enoent = 2;

    private const uint TypeMask = 0xF000;

    public bool IsSocket => (Mode & TypeMask) == 0xC000;

    public bool IsDirectory => (Mode & TypeMask) == 0x4000;

    public bool IsRegularFile => (Mode & TypeMask) == 0x8000;

    public bool IsSymbolicLink => (Mode & TypeMask) == 0xA000;

    /// <summary>The permission bits, with setuid, setgid and sticky.</summary>
    public uint Permissions => Mode & 0xFFF;

    /// <summary>The file type as <c>ls</c> would name it, for error messages.</summary>
    public string TypeWord => (Mode & TypeMask) switch
    {
        0xC000 => "socket",
        0x4000 => "directory",
        0x8000 => "regular file",
        0xA000 => "symbolic link",
        0x1000 => "FIFO",
        0x2000 => "character device",
        0x6000 => "block device",
        _ => "file",
    };

    /// <summary>The mode as octal (<c>0700</c>).</summary>
    public string OctalMode => Convert.ToString(Permissions, 8).PadLeft(4, '0');

    /// <summary>The status of <paramref name="path"/> (of a symbolic link itself when <paramref name="followLinks"/> is false); null when nothing is there.</summary>
    public static UnixFileStatus? Of(string path, bool followLinks)
    {
        Span<byte> buffer = stackalloc byte[StatxSize];
        if (Statx(AtFdCwd, path, followLinks ? 0 : AtSymlinkNoFollow, StatxType | StatxMode | StatxUid, ref MemoryMarshal.GetReference(buffer)) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            return errno == Enoent ? null : throw new IOException($"cannot read the status of {path}: {Marshal.GetPInvokeErrorMessage(errno)}");
        }

        // struct statx: stx_uid at offset 20, stx_mode (16 bits) at offset 28.
        return new UnixFileStatus(BitConverter.ToUInt32(buffer[20..24]), BitConverter.ToUInt16(buffer[28..30]));
    }

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Statx(int dirfd, string path, int flags, uint mask, ref byte buffer);
}

using System.Globalization;
using System.Runtime.InteropServices;

namespace Portico.Admin.AdminSocket;

/// <summary>Names uids for messages: "uid 65534 (nobody)" tells an operator more than a number.</summary>
internal static partial class UnixUsers
{
    public static string Describe(uint uid)
    {
        var text = "uid " + uid.ToString(CultureInfo.InvariantCulture);
        return NameOf(uid) is { } name ? $"{text} ({name})" : text;
    }

    private static string? NameOf(uint uid)
    {
        // struct passwd starts with char *pw_name on every libc layout; getpwuid's buffer is static,
        // read at once (messages are rare and not on a hot path).
        var entry = GetPwUid(uid);
        return entry == IntPtr.Zero ? null : Marshal.PtrToStringUTF8(Marshal.ReadIntPtr(entry));
    }

    /// <summary>The uid of the account named <paramref name="name"/>, or null when there is none.</summary>
    public static uint? UidOf(string name)
    {
        // struct passwd { char *pw_name; char *pw_passwd; uid_t pw_uid; ... } on glibc and musl alike.
        var entry = GetPwNam(name);
        return entry == IntPtr.Zero ? null : (uint)Marshal.ReadInt32(entry, 2 * IntPtr.Size);
    }

    [LibraryImport("libc", EntryPoint = "getpwnam", StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr GetPwNam(string name);

    [LibraryImport("libc", EntryPoint = "getpwuid")]
    private static partial IntPtr GetPwUid(uint uid);
}

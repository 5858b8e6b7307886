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

    [LibraryImport("libc", EntryPoint = "getpwuid")]
    private static partial IntPtr GetPwUid(uint uid);
}

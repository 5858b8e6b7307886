using System.Buffers.Binary;
using System.Net.Sockets;

namespace Portico.Admin.AdminSocket;

/// <summary>
/// Who is on the other end of a Unix socket, from the kernel (SO_PEERCRED), not from anything the
/// peer says: the admin endpoint serves only its own user and root.
/// </summary>
internal static partial class PeerCredentials
{
    private const int SolSocket = 1;
    private const int SoPeerCred = 17;

    /// <summary>The peer's uid, or null when the kernel does not say.</summary>
    public static uint? UidOf(Socket socket)
    {
        Span<byte> cred = stackalloc byte[12]; // struct ucred { pid_t pid; uid_t uid; gid_t gid; }
        try
        {
            return socket.GetRawSocketOption(SolSocket, SoPeerCred, cred) == 12
                ? BinaryPrimitives.ReadUInt32LittleEndian(cred[4..8])
                : null;
        }
        catch (SocketException)
        {
            return null;
        }
    }

    /// <summary>
    /// The peer's process id, or null. On a client socket this is the server that called listen():
    /// how <c>portico profile</c> finds the running Portico from its admin socket.
    /// </summary>
    public static int? PidOf(Socket socket)
    {
        Span<byte> cred = stackalloc byte[12];
        try
        {
            return socket.GetRawSocketOption(SolSocket, SoPeerCred, cred) == 12 ? BinaryPrimitives.ReadInt32LittleEndian(cred[..4]) : null;
        }
        catch (SocketException)
        {
            return null;
        }
    }

    public static uint CurrentUid => GetEuid();

    [System.Runtime.InteropServices.LibraryImport("libc", EntryPoint = "geteuid")]
    private static partial uint GetEuid();
}

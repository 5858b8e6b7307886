namespace Portico.Admin.AdminSocket;

/// <summary>
/// Whether the admin socket's place can be trusted. Whoever controls the socket's directory can put a
/// listener of their own there and receive every command sent to Portico, certificate passphrases
/// included; so the directory must belong to this user (or root) and be writable by no one else, and
/// Portico replaces nothing at the path but a stale socket of its own (a regular file there is most
/// likely a swapped argument, and deleting it would destroy it).
/// </summary>
internal static class AdminSocketTrust
{
    private const uint GroupOrOtherWrite = 0x12; // 0022
    private const uint Sticky = 0x200;           // 01000

    /// <summary>
    /// Creates the socket's directory owner-only (0700) when it is missing; refuses one owned by another
    /// user or writable by group or others. A sticky directory owned by root or this user (<c>/tmp</c>) is
    /// accepted: there no one else can remove or rename our socket, and a name someone else took first is
    /// refused by <see cref="CheckPath"/>.
    /// </summary>
    public static void PrepareDirectory(string directory)
    {
        if (UnixFileStatus.Of(directory, followLinks: true) is null)
        {
            Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        var status = UnixFileStatus.Of(directory, followLinks: true)
            ?? throw new AdminSocketException($"admin socket directory {directory} vanished while it was being created");
        var me = PeerCredentials.CurrentUid;
        if (!status.IsDirectory)
        {
            throw new AdminSocketException($"admin socket directory {directory} is a {status.TypeWord}, not a directory");
        }

        if (status.Uid != me && status.Uid != 0)
        {
            throw new AdminSocketException($"refusing admin socket directory {directory}: it is owned by {UnixUsers.Describe(status.Uid)} (mode {status.OctalMode}), "
                + $"not by {Trusted(me)}, so its owner could listen in Portico's place; remove it or choose another --admin-socket");
        }

        if ((status.Permissions & GroupOrOtherWrite) != 0 && (status.Permissions & Sticky) == 0)
        {
            throw new AdminSocketException($"refusing admin socket directory {directory}: mode {status.OctalMode} (owner {UnixUsers.Describe(status.Uid)}) "
                + $"lets other users replace the socket; run 'chmod 700 {directory}' or choose another --admin-socket");
        }
    }

    /// <summary>What is at the socket's path before binding: nothing, or a socket of this user's (maybe stale); anything else is refused.</summary>
    /// <returns>True when a socket of ours is there (the caller checks whether it is live before removing it).</returns>
    public static bool CheckPath(string path)
    {
        if (UnixFileStatus.Of(path, followLinks: false) is not { } status)
        {
            return false;
        }

        if (!status.IsSocket)
        {
            throw new AdminSocketException($"refusing to start: {path} exists and is a {status.TypeWord}, not a socket; Portico leaves it as it is "
                + "(was --admin-socket given the wrong argument?); choose another --admin-socket");
        }

        var me = PeerCredentials.CurrentUid;
        if (status.Uid != me)
        {
            throw new AdminSocketException($"refusing admin socket {path}: the socket there is owned by {UnixUsers.Describe(status.Uid)} (mode {status.OctalMode}), "
                + $"not by {UnixUsers.Describe(me)}; Portico does not remove it; remove it yourself or choose another --admin-socket");
        }

        return true;
    }

    /// <summary>Who may own the directory or serve the socket, for messages: this user and root.</summary>
    private static string Trusted(uint me) => me == 0 ? "root" : $"{UnixUsers.Describe(me)} or root";

    /// <summary>The system account the package runs the service as (<c>User=portico</c> in its systemd unit).</summary>
    public const string ServiceAccount = "portico";

    /// <summary>
    /// Why the process serving a socket cannot be trusted with commands, or null when it can: root, this user,
    /// or, for root, the installed service's account. Asked of the kernel (SO_PEERCRED) before a byte is sent.
    /// </summary>
    public static string? DistrustServer(string path, uint? serverUid) =>
        DistrustServer(path, serverUid, PeerCredentials.CurrentUid, UnixUsers.UidOf(ServiceAccount));

    /// <summary>
    /// The rule of <see cref="DistrustServer(string, uint?)"/>. Root trusts the <c>portico</c> account: only root
    /// can create an account, and the package's service (<c>systemctl start portico</c>) runs as it, so
    /// <c>sudo portico cli</c> reaches the installed service. Other users trust only themselves and root.
    /// </summary>
    internal static string? DistrustServer(string path, uint? serverUid, uint me, uint? serviceUid)
    {
        if (serverUid is null)
        {
            return $"refusing {path}: the kernel does not say which user serves it; nothing was sent";
        }

        return serverUid == 0 || serverUid == me || (me == 0 && serviceUid is { } service && serverUid == service)
            ? null
            : $"refusing {path}: it is served by a process of {UnixUsers.Describe(serverUid.Value)}, not of {Trusted(me)}; "
                + "another user may be impersonating Portico there, so nothing was sent (check who created the socket's directory)";
    }
}

/// <summary>The admin socket's place cannot be trusted or used; the message names the path, owner and mode.</summary>
public sealed class AdminSocketException(string message) : InvalidOperationException(message);

using System.Buffers.Binary;
using System.Text;
using Portico.Balancing;
using Portico.Runtime;

namespace Portico.Persistence;

/// <summary>
/// COOKIEINSERT: the cookie's name derives from the vserver (<c>NSC_</c> and the name, as NetScaler
/// names it), its value from the member alone, so adding or removing other members never moves a
/// client. The value is a 64-bit keyed hash of the member's name, address and protocol: it does not
/// show the backend's address (NetScaler's cookie only encodes it), it is the same on every node and
/// after a restart, and a guess that names no member is simply balanced as if no cookie was sent.
/// </summary>
public static class PersistenceCookie
{
    private const ulong Seed = 0x504F525449434F31; // "PORTICO1"

    /// <summary>The cookie name for a vserver: characters a cookie name cannot hold become <c>_</c>.</summary>
    public static string NameFor(string vserver)
    {
        var sb = new StringBuilder("NSC_", 4 + vserver.Length);
        foreach (var c in vserver)
        {
            sb.Append(char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.' ? c : '_');
        }

        return sb.ToString();
    }

    /// <summary>The cookie value that stands for <paramref name="member"/>: 16 lower-case hex digits.</summary>
    public static string ValueFor(ServiceRuntime member)
    {
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, StableHash.Of(member.Key, Seed));
        return Convert.ToHexStringLower(bytes);
    }
}

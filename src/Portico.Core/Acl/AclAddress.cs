using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Portico.Acl;

/// <summary>
/// Addresses as the ACL tables compare them: a 128-bit number, IPv4 written as its IPv4-mapped IPv6
/// form (<c>::ffff:a.b.c.d</c>). One representation for both families makes an IPv4 client that reaches
/// a dual-stack socket (and so arrives as <c>::ffff:a.b.c.d</c>) meet the IPv4 rules, and turns every
/// match into integer comparisons: nothing is parsed or allocated per connection.
/// </summary>
public static class AclAddress
{
    /// <summary>The key of <c>::ffff:0.0.0.0</c>, the first IPv4 address.</summary>
    public static readonly UInt128 V4First = new(0, 0xFFFF_0000_0000UL);

    /// <summary>The key of <c>::ffff:255.255.255.255</c>, the last IPv4 address.</summary>
    public static readonly UInt128 V4Last = new(0, 0xFFFF_FFFF_FFFFUL);

    /// <summary>The key of <paramref name="address"/>.</summary>
    public static UInt128 Key(IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[16];
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            bytes[..10].Clear();
            bytes[10] = 0xFF;
            bytes[11] = 0xFF;
            address.TryWriteBytes(bytes[12..], out _);
        }
        else
        {
            address.TryWriteBytes(bytes, out _);
        }

        return BinaryPrimitives.ReadUInt128BigEndian(bytes);
    }

    /// <summary>True when the key is an IPv4 address (or an IPv4-mapped IPv6 one).</summary>
    public static bool IsV4(UInt128 key) => key >= V4First && key <= V4Last;

    /// <summary>The family whose rules apply to the key.</summary>
    public static AclFamily FamilyOf(UInt128 key) => IsV4(key) ? AclFamily.V4 : AclFamily.V6;

    /// <summary>The address back from its key, in the family the rules of <paramref name="family"/> are written in.</summary>
    public static IPAddress ToAddress(UInt128 key, AclFamily family)
    {
        Span<byte> bytes = stackalloc byte[16];
        BinaryPrimitives.WriteUInt128BigEndian(bytes, key);
        return family == AclFamily.V4 && IsV4(key) ? new IPAddress(bytes[12..]) : new IPAddress(bytes);
    }
}

using System.Buffers.Binary;
using System.Net;
using System.Runtime.CompilerServices;
using System.Text;

namespace Portico.Balancing;

/// <summary>
/// A hash that is the same in every process and on every node (unlike <see cref="HashCode"/>), so that
/// Portico nodes behind ECMP and restarted processes agree on which member owns a flow.
/// </summary>
public static class StableHash
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Mix(ulong x)
    {
        // splitmix64 finalizer: full avalanche for 64-bit keys.
        x ^= x >> 30;
        x *= 0xbf58476d1ce4e5b9UL;
        x ^= x >> 27;
        x *= 0x94d049bb133111ebUL;
        x ^= x >> 31;
        return x;
    }

    public static ulong Of(ReadOnlySpan<byte> data, ulong seed = 0)
    {
        var h = seed ^ 0x9E3779B97F4A7C15UL;
        while (data.Length >= 8)
        {
            h = Mix(h ^ BinaryPrimitives.ReadUInt64LittleEndian(data));
            data = data[8..];
        }

        ulong tail = 0;
        for (var i = 0; i < data.Length; i++)
        {
            tail |= (ulong)data[i] << (8 * i);
        }

        return Mix(h ^ tail ^ ((ulong)data.Length << 56));
    }

    public static ulong Of(string text, ulong seed = 0) => Of(Encoding.UTF8.GetBytes(text), seed);

    public static ulong Of(IPAddress address, ulong seed = 0)
    {
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out var n);
        return Of(bytes[..n], seed);
    }
}

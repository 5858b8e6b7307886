using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Portico.Testing;

/// <summary>
/// Writes a small MaxMind DB file (the <c>.mmdb</c> format: a binary search tree over address bits,
/// a data section, metadata) mapping networks to countries, so that end-to-end tests can give loopback
/// clients a country: MaxMind's own test databases know no 127.0.0.0/8 address. An IPv6 tree with IPv4
/// networks under <c>::/96</c>, 24-bit records, database type <c>GeoIP2-Country</c>.
/// </summary>
public static class MmdbWriter
{
    private const int RecordBits = 24;

    /// <summary>Writes <paramref name="path"/> with each network (<c>127.0.0.2/32</c>) mapped to its country code.</summary>
    public static void WriteCountries(string path, IEnumerable<(string Network, string Country)> networks)
    {
        var data = new MemoryStream();
        var offsets = new Dictionary<string, int>(StringComparer.Ordinal);
        var root = new Node();
        foreach (var (network, country) in networks)
        {
            if (!offsets.TryGetValue(country, out var offset))
            {
                offset = (int)data.Length;
                WriteMap(data, [("country", w => WriteMap(w, [("iso_code", v => WriteString(v, country)), ("names", v => WriteMap(v, [("en", n => WriteString(n, country))]))]))]);
                offsets[country] = offset;
            }

            var (bits, length) = Prefix(network);
            Insert(root, bits, length, offset);
        }

        var nodes = new List<Node>();
        Number(root, nodes);
        using var file = File.Create(path);
        var record = new byte[6];
        foreach (var node in nodes)
        {
            Write24(record.AsSpan(0, 3), Value(node.Left, nodes.Count));
            Write24(record.AsSpan(3, 3), Value(node.Right, nodes.Count));
            file.Write(record);
        }

        file.Write(new byte[16]);
        data.Position = 0;
        data.CopyTo(file);
        file.Write([0xAB, 0xCD, 0xEF, .. "MaxMind.com"u8]);
        var meta = new MemoryStream();
        WriteMap(meta,
        [
            ("binary_format_major_version", w => WriteUInt(w, 5, 2)),
            ("binary_format_minor_version", w => WriteUInt(w, 5, 0)),
            ("build_epoch", w => WriteUInt(w, 9, (ulong)DateTimeOffset.UtcNow.ToUnixTimeSeconds())),
            ("database_type", w => WriteString(w, "GeoIP2-Country")),
            ("description", w => WriteMap(w, [("en", v => WriteString(v, "Portico test countries"))])),
            ("ip_version", w => WriteUInt(w, 5, 6)),
            ("languages", w => WriteArray(w, [v => WriteString(v, "en")])),
            ("node_count", w => WriteUInt(w, 6, (ulong)nodes.Count)),
            ("record_size", w => WriteUInt(w, 5, RecordBits)),
        ]);
        meta.Position = 0;
        meta.CopyTo(file);
    }

    private sealed class Node
    {
        public object? Left;
        public object? Right;
        public int Number;
    }

    private static (bool[] Bits, int Length) Prefix(string network)
    {
        var slash = network.IndexOf('/', StringComparison.Ordinal);
        var ip = IPAddress.Parse(slash < 0 ? network : network[..slash]);
        var v4 = ip.AddressFamily == AddressFamily.InterNetwork;
        var length = slash < 0 ? (v4 ? 32 : 128) : int.Parse(network[(slash + 1)..], System.Globalization.CultureInfo.InvariantCulture);
        var bytes = new byte[16];
        ip.TryWriteBytes(v4 ? bytes.AsSpan(12) : bytes, out _);
        var bits = new bool[128];
        for (var i = 0; i < 128; i++)
        {
            bits[i] = (bytes[i / 8] >> (7 - (i % 8)) & 1) == 1;
        }

        return (bits, v4 ? length + 96 : length);
    }

    private static void Insert(Node root, bool[] bits, int length, int offset)
    {
        var node = root;
        for (var i = 0; i < length - 1; i++)
        {
            ref var child = ref bits[i] ? ref node.Right : ref node.Left;
            child ??= new Node();
            node = child as Node ?? throw new InvalidOperationException("networks overlap: a longer prefix under a shorter one is not supported");
        }

        if (bits[length - 1])
        {
            node.Right = offset;
        }
        else
        {
            node.Left = offset;
        }
    }

    private static void Number(Node root, List<Node> nodes)
    {
        var queue = new Queue<Node>([root]);
        while (queue.Count > 0)
        {
            var node = queue.Dequeue();
            node.Number = nodes.Count;
            nodes.Add(node);
            foreach (var child in new[] { node.Left, node.Right }.OfType<Node>())
            {
                queue.Enqueue(child);
            }
        }
    }

    /// <summary>A record: a node number, the node count for "no data", or node count + 16 + data offset.</summary>
    private static uint Value(object? child, int nodeCount) => child switch
    {
        Node n => (uint)n.Number,
        int offset => (uint)(nodeCount + 16 + offset),
        _ => (uint)nodeCount,
    };

    private static void Write24(Span<byte> to, uint value)
    {
        to[0] = (byte)(value >> 16);
        to[1] = (byte)(value >> 8);
        to[2] = (byte)value;
    }

    private static void Control(Stream s, int type, int size)
    {
        if (size >= 29)
        {
            throw new ArgumentOutOfRangeException(nameof(size), "only small values are written");
        }

        if (type <= 7)
        {
            s.WriteByte((byte)((type << 5) | size));
        }
        else
        {
            s.WriteByte((byte)size);
            s.WriteByte((byte)(type - 7));
        }
    }

    private static void WriteString(Stream s, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        Control(s, 2, bytes.Length);
        s.Write(bytes);
    }

    private static void WriteUInt(Stream s, int type, ulong value)
    {
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, value);
        var skip = 0;
        while (skip < 8 && bytes[skip] == 0)
        {
            skip++;
        }

        Control(s, type, 8 - skip);
        s.Write(bytes[skip..]);
    }

    private static void WriteMap(Stream s, (string Key, Action<Stream> Value)[] pairs)
    {
        Control(s, 7, pairs.Length);
        foreach (var (key, value) in pairs)
        {
            WriteString(s, key);
            value(s);
        }
    }

    private static void WriteArray(Stream s, Action<Stream>[] items)
    {
        Control(s, 11, items.Length);
        foreach (var item in items)
        {
            item(s);
        }
    }
}

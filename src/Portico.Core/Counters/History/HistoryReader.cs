using System.Buffers.Binary;
using System.IO.Hashing;
using Portico.Events;

namespace Portico.Counters.History;

/// <summary>
/// Reads a history file, never writing it (the file may be the one a running Portico is appending to).
/// Records come out in file order; a torn or damaged record ends the reading quietly, and
/// <see cref="Damage"/> says where and why, so a crash is never fatal to a query.
/// </summary>
public sealed class HistoryReader
{
    private readonly List<HistoryCounter> _counters = [];
    private readonly List<string> _entities = [];

    private HistoryReader(string path) => Path = path;

    public string Path { get; }

    public HistoryFileInfo? Info { get; private set; }

    /// <summary>Counters by id, as declared so far.</summary>
    public IReadOnlyList<HistoryCounter> Counters => _counters;

    /// <summary>Entity names by id, as declared so far.</summary>
    public IReadOnlyList<string> Entities => _entities;

    /// <summary>Why reading stopped before the end of the file (a torn last record...), or null.</summary>
    public string? Damage { get; private set; }

    /// <summary>Reads the whole file: its samples and events in order.</summary>
    public static (HistoryReader Reader, List<object> Items) ReadAll(string path)
    {
        var reader = new HistoryReader(path);
        byte[] data;
        using (var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
        {
            // Read what is there now; a record being appended meanwhile is a torn tail, skipped.
            data = new byte[file.Length];
            data = data[..file.ReadAtLeast(data, data.Length, throwOnEndOfStream: false)];
        }

        var items = reader.Read(data);
        return (reader, items);
    }

    /// <summary>The name of a series' counter and entity.</summary>
    public (HistoryCounter Counter, string Entity) Describe(SeriesKey key) => (_counters[key.Counter], _entities[key.Entity]);

    private List<object> Read(ReadOnlySpan<byte> data)
    {
        var items = new List<object>();
        if (data.Length < HistoryFormat.Magic.Length || !data[..HistoryFormat.Magic.Length].SequenceEqual(HistoryFormat.Magic))
        {
            throw new InvalidDataException($"{Path} is not a Portico counters history file");
        }

        var offset = HistoryFormat.Magic.Length;
        while (offset < data.Length)
        {
            if (data.Length - offset < 8)
            {
                Damage = $"torn record at byte {offset}: {data.Length - offset} byte(s) skipped";
                break;
            }

            var length = BinaryPrimitives.ReadUInt32LittleEndian(data[offset..]);
            if (length == 0 || length > HistoryFormat.MaxRecordLength || length > data.Length - offset - 8)
            {
                Damage = $"torn or damaged record at byte {offset}: {data.Length - offset} byte(s) skipped";
                break;
            }

            var payload = data.Slice(offset + 4, (int)length);
            var crc = BinaryPrimitives.ReadUInt32LittleEndian(data[(offset + 4 + (int)length)..]);
            if (Crc32.HashToUInt32(payload) != crc)
            {
                Damage = $"record at byte {offset} fails its checksum: {data.Length - offset} byte(s) skipped";
                break;
            }

            try
            {
                if (Parse(payload) is { } item)
                {
                    items.Add(item);
                }
            }
            catch (Exception e) when (e is FormatException or OverflowException or ArgumentOutOfRangeException)
            {
                Damage = $"record at byte {offset} cannot be read ({e.Message}): {data.Length - offset} byte(s) skipped";
                break;
            }

            offset += (int)length + 8;
        }

        return items;
    }

    private object? Parse(ReadOnlySpan<byte> payload)
    {
        var body = payload[1..];
        var i = 0;
        switch (payload[0])
        {
            case HistoryFormat.FileInfo:
                Info = new HistoryFileInfo(Time(VarInt.ReadSigned(body, ref i)), VarInt.ReadString(body, ref i), VarInt.ReadInt(body, ref i),
                    TimeSpan.FromMilliseconds(VarInt.Read(body, ref i)), VarInt.ReadString(body, ref i));
                return null;
            case HistoryFormat.Counter:
                var id = VarInt.ReadInt(body, ref i);
                var name = VarInt.ReadString(body, ref i);
                var unit = VarInt.ReadString(body, ref i);
                var kind = (CounterKind)body[i++];
                var tag = VarInt.ReadString(body, ref i);
                Declare(_counters, id, new HistoryCounter(id, name, unit, kind, tag.Length == 0 ? null : tag, VarInt.ReadString(body, ref i)));
                return null;
            case HistoryFormat.Entity:
                var entity = VarInt.ReadInt(body, ref i);
                Declare(_entities, entity, VarInt.ReadString(body, ref i));
                return null;
            case HistoryFormat.Sample:
                var at = Time(VarInt.ReadSigned(body, ref i));
                var changed = new HistoryValue[VarInt.ReadInt(body, ref i)];
                for (var n = 0; n < changed.Length; n++)
                {
                    changed[n] = new HistoryValue(Key(body, ref i), VarInt.ReadSigned(body, ref i));
                }

                var removed = new SeriesKey[VarInt.ReadInt(body, ref i)];
                for (var n = 0; n < removed.Length; n++)
                {
                    removed[n] = Key(body, ref i);
                }

                return new HistorySample(at, changed, removed);
            case HistoryFormat.Event:
                var number = (long)VarInt.Read(body, ref i);
                var time = Time(VarInt.ReadSigned(body, ref i));
                return new HistoryEvent(new PorticoEvent(number, time, VarInt.ReadString(body, ref i), VarInt.ReadString(body, ref i), VarInt.ReadString(body, ref i)));
            default:
                // A record type from a newer Portico: skipped, the rest of the file still reads.
                return null;
        }
    }

    private SeriesKey Key(ReadOnlySpan<byte> body, ref int i)
    {
        var key = new SeriesKey(VarInt.ReadInt(body, ref i), VarInt.ReadInt(body, ref i));
        if (key.Counter >= _counters.Count || key.Entity >= _entities.Count)
        {
            throw new FormatException("a sample names a counter or entity the file never declared");
        }

        return key;
    }

    private static void Declare<T>(List<T> list, int id, T value)
    {
        if (id != list.Count)
        {
            throw new FormatException($"id {id} declared out of order");
        }

        list.Add(value);
    }

    private static DateTimeOffset Time(long unixMs) => DateTimeOffset.FromUnixTimeMilliseconds(unixMs);
}

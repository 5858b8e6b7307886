using System.Buffers.Binary;
using System.IO.Hashing;
using Portico.Events;

namespace Portico.Counters.History;

/// <summary>
/// Appends samples and events to <c>portico.newnslog</c> in a directory, rotating it into numbered
/// archives by age and size and keeping at most a number of archives. Each record is written whole and
/// flushed to the kernel at once, so a crash loses at most the record being written, which readers skip.
/// Not thread-safe: <see cref="HistorySampler"/> is its only caller.
/// </summary>
public sealed class HistoryWriter : IDisposable
{
    private readonly string _directory;
    private readonly HistorySettings _settings;
    private readonly TimeProvider _time;
    private readonly Dictionary<string, int> _counters = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _entities = new(StringComparer.Ordinal);
    private readonly Dictionary<SeriesKey, long> _last = [];
    private readonly List<byte> _record = [];
    private FileStream? _file;
    private DateTimeOffset _opened;

    /// <summary>Opens a new current file; an existing one (from an earlier run) is archived first.</summary>
    public HistoryWriter(string directory, HistorySettings settings, TimeProvider time)
    {
        _directory = directory;
        _settings = settings;
        _time = time;
        Directory.CreateDirectory(directory);
        Rotate();
    }

    public string CurrentPath => Path.Combine(_directory, HistoryFormat.CurrentName);

    /// <summary>Archives rotated by this writer (age, size, or a previous run's file at start).</summary>
    public int Rotations { get; private set; }

    /// <summary>Writes one sample: the series that changed since the previous sample of this file, and those gone.</summary>
    public void WriteSample(DateTimeOffset at, IEnumerable<(CounterDefinition Definition, CounterReading Reading)> values)
    {
        RotateIfDue(at);
        var changed = new List<HistoryValue>();
        var seen = new HashSet<SeriesKey>();
        foreach (var (definition, reading) in values)
        {
            var key = new SeriesKey(CounterId(definition), EntityId(reading.Entity));
            seen.Add(key);
            if (!_last.TryGetValue(key, out var previous) || previous != reading.Value)
            {
                _last[key] = reading.Value;
                changed.Add(new HistoryValue(key, reading.Value));
            }
        }

        var removed = _last.Keys.Where(k => !seen.Contains(k)).ToList();
        foreach (var k in removed)
        {
            _last.Remove(k);
        }

        Begin(HistoryFormat.Sample);
        VarInt.WriteSigned(_record, at.ToUnixTimeMilliseconds());
        VarInt.Write(_record, (ulong)changed.Count);
        foreach (var v in changed)
        {
            VarInt.Write(_record, (ulong)v.Series.Counter);
            VarInt.Write(_record, (ulong)v.Series.Entity);
            VarInt.WriteSigned(_record, v.Value);
        }

        VarInt.Write(_record, (ulong)removed.Count);
        foreach (var k in removed)
        {
            VarInt.Write(_record, (ulong)k.Counter);
            VarInt.Write(_record, (ulong)k.Entity);
        }

        End();
    }

    public void WriteEvent(PorticoEvent e)
    {
        RotateIfDue(_time.GetUtcNow());
        Begin(HistoryFormat.Event);
        VarInt.Write(_record, (ulong)e.Number);
        VarInt.WriteSigned(_record, e.Time.ToUnixTimeMilliseconds());
        VarInt.WriteString(_record, e.Kind);
        VarInt.WriteString(_record, e.Entity);
        VarInt.WriteString(_record, e.Message);
        End();
    }

    private void RotateIfDue(DateTimeOffset now)
    {
        if (now - _opened >= _settings.RotateAfter || (_file?.Length ?? 0) >= _settings.RotateBytes)
        {
            Rotate();
        }
    }

    private void Rotate()
    {
        _file?.Dispose();
        if (HistoryFiles.Archive(_directory) is not null)
        {
            Rotations++;
        }

        HistoryFiles.Prune(_directory, _settings.KeepFiles);
        _counters.Clear();
        _entities.Clear();
        _last.Clear();
        _opened = _time.GetUtcNow();
        _file = new FileStream(CurrentPath, FileMode.CreateNew, FileAccess.Write, FileShare.Read | FileShare.Delete);
        _file.Write(HistoryFormat.Magic);
        Begin(HistoryFormat.FileInfo);
        VarInt.WriteSigned(_record, _opened.ToUnixTimeMilliseconds());
        VarInt.WriteString(_record, Environment.MachineName);
        VarInt.Write(_record, (ulong)Environment.ProcessId);
        VarInt.Write(_record, (ulong)_settings.Interval.TotalMilliseconds);
        VarInt.WriteString(_record, typeof(HistoryWriter).Assembly.GetName().Version?.ToString() ?? "");
        End();
    }

    private int CounterId(CounterDefinition d)
    {
        if (_counters.TryGetValue(d.Name, out var id))
        {
            return id;
        }

        id = _counters.Count;
        _counters[d.Name] = id;

        // Declared in its own record before the sample that first uses it (samples are built after the ids).
        Begin(HistoryFormat.Counter);
        VarInt.Write(_record, (ulong)id);
        VarInt.WriteString(_record, d.Name);
        VarInt.WriteString(_record, d.Unit);
        _record.Add((byte)d.Kind);
        VarInt.WriteString(_record, d.EntityTag ?? "");
        VarInt.WriteString(_record, d.Description);
        End();
        return id;
    }

    private int EntityId(string name)
    {
        if (_entities.TryGetValue(name, out var id))
        {
            return id;
        }

        id = _entities.Count;
        _entities[name] = id;
        Begin(HistoryFormat.Entity);
        VarInt.Write(_record, (ulong)id);
        VarInt.WriteString(_record, name);
        End();
        return id;
    }

    private void Begin(byte type)
    {
        _record.Clear();
        _record.Add(type);
    }

    /// <summary>Frames the record (length, payload, CRC-32) and writes it in one call, then hands it to the kernel.</summary>
    private void End()
    {
        var payload = _record.ToArray();
        var frame = new byte[payload.Length + 8];
        BinaryPrimitives.WriteUInt32LittleEndian(frame, (uint)payload.Length);
        payload.CopyTo(frame, 4);
        BinaryPrimitives.WriteUInt32LittleEndian(frame.AsSpan(4 + payload.Length), Crc32.HashToUInt32(payload));
        _file!.Write(frame);
        _file.Flush();
        _record.Clear();
    }

    public void Dispose() => _file?.Dispose();
}

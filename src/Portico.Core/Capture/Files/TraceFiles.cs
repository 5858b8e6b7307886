using System.Globalization;

namespace Portico.Capture.Files;

/// <summary>
/// The files of one capture: named <c>NAME_SEQ_yyyyMMdd-HHmmss.ext</c> (sequence from 001, the UTC time the
/// file opened) in the trace directory, rotated by time or size, at most <see cref="TraceFileLimits.FileCount"/>
/// kept (the oldest is deleted as the next opens), never past the size cap nor into the disk's last free
/// space: reaching either stops the capture and says why. Files are private to the owner (0600): a trace
/// holds whatever crossed the wire, decrypted traffic included. Thread-safe: capture threads and the tap's
/// writer share one instance.
/// </summary>
internal sealed class TraceFiles : IDisposable
{
    private const int BufferSize = 1 << 20;
    private const int MaxSecrets = 20_000;

    private readonly Lock _lock = new();
    private readonly string _directory;
    private readonly string _name;
    private readonly ITraceFileFormat _format;
    private readonly TraceFormat _formatKind;
    private readonly IReadOnlyList<TraceInterface> _interfaces;
    private readonly string? _comment;
    private readonly TraceFileLimits _limits;
    private readonly TimeProvider _time;
    private readonly WriteBudget? _budget;
    private readonly Queue<(string Path, long Bytes)> _closed = new();
    private readonly List<byte[]> _secrets = [];
    private FileStream? _current;
    private string? _currentPath;
    private long _currentBytes;
    private long _currentHeader;
    private DateTimeOffset _openedAt;
    private DateTimeOffset _flushedAt;
    private long _closedBytes;
    private int _sequence;
    private bool _dirty;
    private bool _secretsInBody;

    public TraceFiles(string directory, string name, TraceFormat format, IReadOnlyList<TraceInterface> interfaces, string? comment,
        TraceFileLimits limits, TimeProvider time)
    {
        _directory = directory;
        _name = name;
        _formatKind = format;
        _format = ITraceFileFormat.For(format);
        _interfaces = interfaces;
        _comment = comment;
        _limits = limits;
        _time = time;
        _budget = limits.BytesPerSecond < long.MaxValue ? new WriteBudget(limits.BytesPerSecond) : null;
    }

    /// <summary>When files rotate and what stops them.</summary>
    public TraceFileLimits Limits => _limits;

    /// <summary>Raised once, outside any lock, when a limit stops the files; the argument says which.</summary>
    public event Action<string>? LimitReached;

    /// <summary>Why the files stopped taking packets (a limit, a write error, the capture's end); null while open.</summary>
    public string? StopReason { get; private set; }

    /// <summary>Packets written.</summary>
    public long Packets { get; private set; }

    /// <summary>Packet bytes written since the capture started, rotated-away files included.</summary>
    public long BytesWritten { get; private set; }

    /// <summary>Bytes the capture's files take on disk now (deleted ones not counted).</summary>
    public long BytesOnDisk
    {
        get
        {
            lock (_lock)
            {
                return _closedBytes + _currentBytes;
            }
        }
    }

    /// <summary>The files kept, oldest first, the one being written last.</summary>
    public IReadOnlyList<string> Paths
    {
        get
        {
            lock (_lock)
            {
                var paths = _closed.Select(c => c.Path).ToList();
                if (_currentPath is not null)
                {
                    paths.Add(_currentPath);
                }

                return paths;
            }
        }
    }

    /// <summary>Opens the first file now, so the operator sees it and a bad directory fails at start.</summary>
    public void Open()
    {
        lock (_lock)
        {
            Directory.CreateDirectory(_directory);
            OpenNext();
        }
    }

    /// <summary>Writes one packet; false once a limit stopped the files.</summary>
    public bool Write(int interfaceIndex, long unixMicros, ReadOnlySpan<byte> data, int originalLength)
    {
        string? stopped;
        lock (_lock)
        {
            if (StopReason is not null)
            {
                return false;
            }

            var length = _format.RecordLength(data.Length);
            stopped = MakeRoom(length);
            if (stopped is null)
            {
                try
                {
                    _format.WritePacket(_current!, interfaceIndex, unixMicros, data, originalLength);
                    _currentBytes += length;
                    _dirty = true;
                    Packets++;
                    BytesWritten += data.Length;
                }
                catch (IOException e)
                {
                    stopped = StopLocked($"writing {_currentPath} failed: {e.Message}");
                }
            }
        }

        if (stopped is not null)
        {
            LimitReached?.Invoke(stopped);
            return false;
        }

        _budget?.Spend(data.Length);
        return true;
    }

    /// <summary>Adds TLS key log lines: written now, and again at the head of every later file (pcapng only).</summary>
    public void AddSecrets(byte[] keyLog)
    {
        if (!_format.CarriesSecrets)
        {
            return;
        }

        string? stopped = null;
        lock (_lock)
        {
            if (StopReason is not null || _secrets.Count >= MaxSecrets)
            {
                return;
            }

            _secrets.Add(keyLog);
            var length = _format.SecretsLength(keyLog.Length);
            stopped = MakeRoom(length);
            if (stopped is null)
            {
                _format.WriteSecrets(_current!, keyLog);
                _currentBytes += length;
                _dirty = true;
                _secretsInBody = true;
            }
        }

        if (stopped is not null)
        {
            LimitReached?.Invoke(stopped);
        }
    }

    /// <summary>Called about every quarter second: moves to the next file when its time is up, flushes, watches free space.</summary>
    public void Tick()
    {
        string? stopped = null;
        lock (_lock)
        {
            if (StopReason is not null || _current is null)
            {
                return;
            }

            var now = _time.GetUtcNow();
            try
            {
                if (_limits.FileDuration is { } every && now - _openedAt >= every)
                {
                    Rotate();
                }
                else if (_dirty && now - _flushedAt >= TimeSpan.FromSeconds(1))
                {
                    // Readers (tshark on a running capture) see packets within a second.
                    _current.Flush();
                    _dirty = false;
                    _flushedAt = now;
                }

                stopped = CheckFreeSpace();
            }
            catch (IOException e)
            {
                stopped = StopLocked($"writing {_currentPath} failed: {e.Message}");
            }
        }

        if (stopped is not null)
        {
            LimitReached?.Invoke(stopped);
        }
    }

    /// <summary>Closes the current file; later packets are refused and counted.</summary>
    public void Stop(string reason)
    {
        lock (_lock)
        {
            if (StopReason is null)
            {
                StopLocked(reason);
            }
        }
    }

    public void Dispose() => Stop("disposed");

    private string? MakeRoom(int length)
    {
        try
        {
            if (_current is null)
            {
                OpenNext();
            }
            else if (_limits.FileBytes is { } perFile && _currentBytes + length > perFile && _currentBytes > _currentHeader)
            {
                Rotate();
            }
        }
        catch (IOException e)
        {
            return StopLocked($"opening the next trace file in {_directory} failed: {e.Message}");
        }

        if (_closedBytes + _currentBytes + length > _limits.MaxBytes)
        {
            return StopLocked($"size cap of {Megabytes(_limits.MaxBytes)} reached ({Megabytes(_closedBytes + _currentBytes)} in {_closed.Count + 1} file(s))");
        }

        return null;
    }

    private void Rotate()
    {
        CloseCurrent();
        OpenNext();
    }

    private void OpenNext()
    {
        // Opening one more file than -nf allows deletes the oldest: the files cycle, as NetScaler's do.
        while (_closed.Count >= _limits.FileCount && _closed.TryDequeue(out var oldest))
        {
            _closedBytes -= oldest.Bytes;
            File.Delete(oldest.Path);
        }

        _sequence++;
        _openedAt = _time.GetUtcNow();
        _flushedAt = _openedAt;
        var path = Path.Combine(_directory, string.Create(CultureInfo.InvariantCulture,
            $"{_name}_{_sequence:D3}_{_openedAt.UtcDateTime:yyyyMMdd-HHmmss}{_formatKind.Extension()}"));
        var file = new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            Share = FileShare.Read | FileShare.Delete,
            BufferSize = BufferSize,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        });
        _format.WriteHeader(file, _interfaces, _comment);
        foreach (var secret in _secrets)
        {
            _format.WriteSecrets(file, secret);
        }

        _current = file;
        _currentPath = path;
        _currentBytes = file.Position;
        _currentHeader = _currentBytes;
        _dirty = true;
    }

    private void CloseCurrent()
    {
        if (_current is null)
        {
            return;
        }

        try
        {
            _current.Dispose();
            if (_secretsInBody)
            {
                _secretsInBody = false;
                PcapngSecrets.MoveToFront(_currentPath!, _currentHeader);
            }
        }
        finally
        {
            _closed.Enqueue((_currentPath!, _currentBytes));
            _closedBytes += _currentBytes;
            _current = null;
            _currentPath = null;
            _currentBytes = 0;
        }
    }

    private string? CheckFreeSpace()
    {
        var free = FreeSpace.Of(_directory);
        return free is { } bytes && bytes < _limits.MinFreeBytes
            ? StopLocked($"the file system of {_directory} is down to {Megabytes(bytes)} free (a capture keeps at least {Megabytes(_limits.MinFreeBytes)})")
            : null;
    }

    private string StopLocked(string reason)
    {
        StopReason ??= reason;
        try
        {
            CloseCurrent();
        }
        catch (IOException)
        {
            // The reason already says what went wrong with this file.
        }

        return StopReason;
    }

    private static string Megabytes(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024):0.#} MB");
}

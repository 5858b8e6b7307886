namespace Portico.Capture.Files;

/// <summary>
/// Follows the TLS key log (<c>SSLKEYLOGFILE</c> format) that .NET writes when Portico runs with
/// <c>--tls-keylog</c>: each poll returns the complete lines added since the capture started, which the
/// capture puts in its pcapng files as Decryption Secrets Blocks. Lines written before the capture are not
/// taken: they belong to handshakes the capture did not see.
/// </summary>
internal sealed class KeyLogTail
{
    private const int MaxRead = 1 << 20;

    private readonly Lock _lock = new();
    private readonly string _path;
    private long _offset;
    private byte[] _partial = [];

    public KeyLogTail(string path)
    {
        _path = path;
        _offset = File.Exists(path) ? new FileInfo(path).Length : 0;
    }

    /// <summary>The complete lines appended since the last poll, or null when there are none.</summary>
    public byte[]? Poll()
    {
        lock (_lock)
        {
            return PollLocked();
        }
    }

    private byte[]? PollLocked()
    {
        byte[] read;
        try
        {
            using var file = new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            if (file.Length < _offset)
            {
                // Truncated or replaced: start over from its beginning.
                _offset = 0;
                _partial = [];
            }

            file.Position = _offset;
            read = new byte[Math.Min(file.Length - _offset, MaxRead)];
            file.ReadExactly(read);
            _offset += read.Length;
        }
        catch (FileNotFoundException)
        {
            return null;
        }

        var text = _partial.Length == 0 ? read : [.. _partial, .. read];
        var end = Array.LastIndexOf(text, (byte)'\n');
        if (end < 0)
        {
            _partial = text;
            return null;
        }

        _partial = text[(end + 1)..];
        return text[..(end + 1)];
    }
}

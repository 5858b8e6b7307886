using System.Buffers;
using System.Text;

namespace Portico.Admin.AdminSocket;

/// <summary>
/// Reads the admin protocol's lines (one JSON request each) with a bound, so a client cannot make the
/// endpoint buffer without end: a line longer than <see cref="MaxBytes"/> is refused, not read.
/// </summary>
internal sealed class AdminLineReader(Stream stream, int maxBytes)
{
    private readonly byte[] _buffer = new byte[64 * 1024];
    private readonly ArrayBufferWriter<byte> _line = new();
    private int _start;
    private int _end;

    /// <summary>The longest line accepted, in bytes, newline excluded.</summary>
    public int MaxBytes => maxBytes;

    /// <summary>The next line; null at the end of the stream.</summary>
    /// <exception cref="AdminLineTooLongException">The line passed <see cref="MaxBytes"/>.</exception>
    public async Task<string?> ReadLineAsync(CancellationToken cancellationToken)
    {
        _line.Clear();
        while (true)
        {
            if (_start == _end)
            {
                _start = 0;
                _end = await stream.ReadAsync(_buffer, cancellationToken).ConfigureAwait(false);
                if (_end == 0)
                {
                    return _line.WrittenCount == 0 ? null : Encoding.UTF8.GetString(_line.WrittenSpan);
                }
            }

            var newline = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
            var take = (newline < 0 ? _end : newline) - _start;
            if (_line.WrittenCount + take > maxBytes)
            {
                throw new AdminLineTooLongException(maxBytes);
            }

            _line.Write(_buffer.AsSpan(_start, take));
            if (newline >= 0)
            {
                _start = newline + 1;
                return Encoding.UTF8.GetString(_line.WrittenSpan);
            }

            _start = _end;
        }
    }
}

/// <summary>An admin request longer than the endpoint accepts.</summary>
internal sealed class AdminLineTooLongException(int maxBytes)
    : Exception($"admin request refused: longer than {maxBytes / (1024 * 1024)} MiB; split the batch into smaller ones");

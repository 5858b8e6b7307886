using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace Portico.Testing;

/// <summary>One complete request as <see cref="RecordingBackend"/> framed it.</summary>
public sealed record RecordedRequest(
    int Seq,
    int Connection,
    string RequestLine,
    IReadOnlyList<(string Name, string Value)> Fields,
    string Framing,
    long BodyLength,
    byte[]? Body,
    byte[] BodySha256,
    bool ChunkExtensions,
    IReadOnlyList<(string Name, string Value)> Trailers)
{
    public string Method => RequestLine.Split(' ')[0];

    public string Target => RequestLine.Split(' ')[1];

    public string Version => RequestLine.Split(' ')[2];

    public string BodyText => Body is null ? $"<{BodyLength} bytes, not kept>" : Encoding.Latin1.GetString(Body);

    public IEnumerable<string> All(string name) =>
        Fields.Where(f => f.Name.Equals(name, StringComparison.OrdinalIgnoreCase)).Select(f => f.Value);

    public string? Field(string name) => All(name).FirstOrDefault();

    public bool Has(string name) => All(name).Any();

    public override string ToString() =>
        $"#{Seq} on connection {Connection}: {RequestLine} [{string.Join("; ", Fields.Select(f => f.Name + ": " + f.Value))}] {Framing} body '{RawClient.Escape(Encoding.Latin1.GetBytes(BodyText.Length > 200 ? BodyText[..200] + "..." : BodyText))}'";
}

/// <summary>One accepted connection: the exact bytes received (up to a cap), and what could not be framed.</summary>
public sealed class RecordedConnection(int id)
{
    private readonly MemoryStream _received = new();

    public int Id { get; } = id;

    /// <summary>Why the rest of the connection could not be read as requests (then it was closed), or null.</summary>
    public string? Unframed { get; internal set; }

    /// <summary>The connection ended inside a request (head or body): what had been read of it.</summary>
    public string? Incomplete { get; internal set; }

    public long ReceivedCount { get; private set; }

    /// <summary>The received bytes, the first <see cref="RecordingBackend.RecordCap"/> of them.</summary>
    public byte[] Received
    {
        get
        {
            lock (_received)
            {
                return _received.ToArray();
            }
        }
    }

    internal void Add(ReadOnlySpan<byte> bytes, long cap)
    {
        lock (_received)
        {
            ReceivedCount += bytes.Length;
            var room = (int)Math.Max(0, Math.Min(bytes.Length, cap - _received.Length));
            _received.Write(bytes[..room]);
        }
    }
}

/// <summary>How the backend answers one request: writes to the connection, returns false to close it after.</summary>
public delegate Task<bool> BackendReply(RecordedRequest request, Stream connection);

/// <summary>
/// A raw TCP HTTP/1.1 server on 127.0.0.1 for wire tests: it records, per accepted connection, the exact bytes it
/// receives, frames requests itself with a deliberately simple strict reading (a request line of exactly three
/// parts, CRLF lines, token names, one <c>Content-Length</c> of digits or one <c>Transfer-Encoding: chunked</c>,
/// never both) and answers each with <see cref="Reply"/>. Whatever it cannot frame is recorded as such
/// (<see cref="RecordedConnection.Unframed"/>) and the connection closed, so a test sees any disagreement
/// between what a proxy meant to send and what the bytes say.
/// </summary>
public sealed class RecordingBackend : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<RecordedRequest> _requests = [];
    private readonly List<RecordedConnection> _connections = [];
    private readonly List<Socket> _open = [];
    private readonly Task _accepting;
    private int _seq;

    private RecordingBackend(Socket listener)
    {
        _listener = listener;
        EndPoint = (IPEndPoint)listener.LocalEndPoint!;
        _accepting = AcceptAsync();
    }

    public IPEndPoint EndPoint { get; }

    public int Port => EndPoint.Port;

    /// <summary>The answer to every request; by default <see cref="BackendReplies.Default"/> (200, a body naming the request number).</summary>
    public BackendReply Reply { get; set; } = BackendReplies.Default;

    /// <summary>Bodies longer than this are hashed, not kept.</summary>
    public long BodyCap { get; set; } = 16 * 1024 * 1024;

    /// <summary>Bytes of each connection kept in <see cref="RecordedConnection.Received"/>.</summary>
    public long RecordCap { get; set; } = 4 * 1024 * 1024;

    public static RecordingBackend Start()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        socket.Listen(1024);
        return new RecordingBackend(socket);
    }

    /// <summary>Complete requests, in the order they were framed (across connections).</summary>
    public IReadOnlyList<RecordedRequest> Requests
    {
        get
        {
            lock (_requests)
            {
                return [.. _requests];
            }
        }
    }

    public IReadOnlyList<RecordedConnection> Connections
    {
        get
        {
            lock (_connections)
            {
                return [.. _connections];
            }
        }
    }

    /// <summary>Connections with bytes this backend could not frame as requests: never expected behind Portico.</summary>
    public IReadOnlyList<RecordedConnection> Unframed => [.. Connections.Where(c => c.Unframed is not null)];

    /// <summary>Requests whose target is <paramref name="target"/> or starts with it followed by '?'.</summary>
    public IReadOnlyList<RecordedRequest> RequestsFor(string target) =>
        [.. Requests.Where(r => r.Target == target || r.Target.StartsWith(target + "?", StringComparison.Ordinal))];

    /// <summary>Every connection's bytes, escaped, for failure messages.</summary>
    public string Describe() => string.Join("\n", Connections.Select(c =>
        $"connection {c.Id}: {c.ReceivedCount} B{(c.Unframed is null ? "" : ", UNFRAMED: " + c.Unframed)}{(c.Incomplete is null ? "" : ", incomplete: " + c.Incomplete)}: "
        + RawClient.Escape(c.Received.AsSpan(0, (int)Math.Min(c.Received.Length, 2000)))));

    private async Task AcceptAsync()
    {
        var id = 0;
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            socket.NoDelay = true;
            var connection = new RecordedConnection(++id);
            lock (_connections)
            {
                _connections.Add(connection);
                _open.Add(socket);
            }

            _ = Task.Run(() => ServeAsync(socket, connection));
        }
    }

    private async Task ServeAsync(Socket socket, RecordedConnection connection)
    {
        using var stream = new NetworkStream(socket, ownsSocket: true);
        var reader = new RecordingReader(stream, connection, RecordCap);
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var outcome = await ReadRequestAsync(reader, stream, connection);
                if (outcome is null)
                {
                    return;
                }

                lock (_requests)
                {
                    _requests.Add(outcome);
                }

                if (!await Reply(outcome, stream))
                {
                    return;
                }
            }
        }
        catch (Unframeable e)
        {
            connection.Unframed = e.Message;
        }
        catch (EndOfStreamException e)
        {
            connection.Incomplete = e.Message;
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            connection.Incomplete ??= $"connection broke: {e.Message}";
        }
        finally
        {
            lock (_connections)
            {
                _open.Remove(socket);
            }
        }
    }

    /// <summary>Null at a clean end of the connection (between requests).</summary>
    private async Task<RecordedRequest?> ReadRequestAsync(RecordingReader reader, Stream stream, RecordedConnection connection)
    {
        var requestLine = await reader.LineAsync(atStart: true);
        if (requestLine is null)
        {
            return null;
        }

        var parts = requestLine.Split(' ');
        if (parts.Length != 3 || parts[0].Length == 0 || !parts[0].All(IsTchar) || parts[1].Length == 0 || parts[1].Any(c => c <= ' ' || c >= 0x7F)
            || parts[2] is not ("HTTP/1.1" or "HTTP/1.0"))
        {
            throw new Unframeable($"not a request line: '{requestLine}'");
        }

        var fields = await ReadFieldsAsync(reader, "field");
        var lengths = fields.Where(f => f.Name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)).ToList();
        var codings = fields.Where(f => f.Name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase)).ToList();
        if (lengths.Count > 0 && codings.Count > 0)
        {
            throw new Unframeable($"both Content-Length and Transfer-Encoding in '{requestLine}'");
        }

        if (lengths.Count > 1 || codings.Count > 1)
        {
            throw new Unframeable($"repeated framing field in '{requestLine}'");
        }

        if (fields.Any(f => f.Name.Equals("Expect", StringComparison.OrdinalIgnoreCase) && f.Value.Equals("100-continue", StringComparison.OrdinalIgnoreCase)))
        {
            await stream.WriteAsync("HTTP/1.1 100 Continue\r\n\r\n"u8.ToArray());
        }

        var seq = Interlocked.Increment(ref _seq);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var body = new MemoryStream();
        long length = 0;
        var extensions = false;
        IReadOnlyList<(string, string)> trailers = [];
        string framing;
        void Keep(ReadOnlySpan<byte> data)
        {
            hash.AppendData(data);
            length += data.Length;
            if (body.Length + data.Length <= BodyCap)
            {
                body.Write(data);
            }
        }

        if (lengths.Count == 1)
        {
            var value = lengths[0].Value;
            if (value.Length == 0 || value.Length > 18 || !value.All(char.IsAsciiDigit))
            {
                throw new Unframeable($"Content-Length '{value}'");
            }

            framing = "content-length";
            await reader.CopyAsync(long.Parse(value, CultureInfo.InvariantCulture), Keep);
        }
        else if (codings.Count == 1)
        {
            if (!codings[0].Value.Equals("chunked", StringComparison.OrdinalIgnoreCase))
            {
                throw new Unframeable($"Transfer-Encoding '{codings[0].Value}'");
            }

            framing = "chunked";
            while (true)
            {
                var sizeLine = await reader.LineAsync(atStart: false) ?? throw new EndOfStreamException("ended in a chunk-size line");
                var semi = sizeLine.IndexOf(';', StringComparison.Ordinal);
                extensions |= semi >= 0;
                var digits = semi >= 0 ? sizeLine[..semi] : sizeLine;
                if (digits.Length is 0 or > 15 || !digits.All(char.IsAsciiHexDigit))
                {
                    throw new Unframeable($"chunk size '{sizeLine}'");
                }

                var size = long.Parse(digits, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                if (size == 0)
                {
                    trailers = await ReadFieldsAsync(reader, "trailer");
                    break;
                }

                await reader.CopyAsync(size, Keep);
                var end = await reader.LineAsync(atStart: false) ?? throw new EndOfStreamException("ended after chunk data");
                if (end.Length != 0)
                {
                    throw new Unframeable($"chunk data not followed by CRLF but '{end}'");
                }
            }
        }
        else
        {
            framing = "none";
        }

        return new RecordedRequest(seq, connection.Id, requestLine, fields, framing, length, length <= BodyCap ? body.ToArray() : null,
            hash.GetHashAndReset(), extensions, trailers);
    }

    private static async Task<List<(string Name, string Value)>> ReadFieldsAsync(RecordingReader reader, string what)
    {
        var fields = new List<(string, string)>();
        while (true)
        {
            var line = await reader.LineAsync(atStart: false) ?? throw new EndOfStreamException($"ended in the {what}s");
            if (line.Length == 0)
            {
                return fields;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0 || !line[..colon].All(IsTchar))
            {
                throw new Unframeable($"not a {what} line: '{line}'");
            }

            var value = line[(colon + 1)..].Trim(' ', '\t');
            if (value.Any(c => (c < ' ' && c != '\t') || c == 0x7F))
            {
                throw new Unframeable($"control byte in the {what} line '{line}'");
            }

            fields.Add((line[..colon], value));
        }
    }

    private static bool IsTchar(char c) => char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c, StringComparison.Ordinal);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Dispose();
        lock (_connections)
        {
            foreach (var s in _open)
            {
                s.Dispose();
            }
        }

        await _accepting;
        _stop.Dispose();
    }

    private sealed class Unframeable(string message) : Exception(message);

    /// <summary>Buffered reads over the connection that also record every byte.</summary>
    private sealed class RecordingReader(Stream stream, RecordedConnection connection, long cap)
    {
        private readonly byte[] _buffer = new byte[64 * 1024];
        private int _start;
        private int _end;

        private async Task<bool> FillAsync()
        {
            if (_start == _end)
            {
                _start = _end = 0;
            }
            else if (_end == _buffer.Length)
            {
                Array.Copy(_buffer, _start, _buffer, 0, _end - _start);
                _end -= _start;
                _start = 0;
            }

            var n = await stream.ReadAsync(_buffer.AsMemory(_end));
            if (n == 0)
            {
                return false;
            }

            connection.Add(_buffer.AsSpan(_end, n), cap);
            _end += n;
            return true;
        }

        /// <summary>A CRLF line; a bare LF or CR is unframeable. Null at the end of the stream before any byte of the line.</summary>
        public async Task<string?> LineAsync(bool atStart)
        {
            var scanned = 0;
            while (true)
            {
                var lf = Array.IndexOf(_buffer, (byte)'\n', _start + scanned, _end - _start - scanned);
                if (lf >= 0)
                {
                    if (lf == _start || _buffer[lf - 1] != '\r')
                    {
                        throw new Unframeable("bare LF");
                    }

                    var line = Encoding.Latin1.GetString(_buffer, _start, lf - 1 - _start);
                    _start = lf + 1;
                    if (line.Contains('\r', StringComparison.Ordinal))
                    {
                        throw new Unframeable($"bare CR in '{line}'");
                    }

                    return line;
                }

                scanned = _end - _start;
                if (scanned > 64 * 1024 - 1)
                {
                    throw new Unframeable("a line longer than 64 KiB");
                }

                if (!await FillAsync())
                {
                    if (_end == _start && atStart)
                    {
                        return null;
                    }

                    throw new EndOfStreamException($"ended inside a line: '{Encoding.Latin1.GetString(_buffer, _start, _end - _start)}'");
                }
            }
        }

        public async Task CopyAsync(long count, Action<ReadOnlySpan<byte>> sink)
        {
            while (count > 0)
            {
                if (_start == _end && !await FillAsync())
                {
                    throw new EndOfStreamException($"ended {count} bytes before the end of a body");
                }

                var n = (int)Math.Min(count, _end - _start);
                sink(_buffer.AsSpan(_start, n));
                _start += n;
                count -= n;
            }
        }
    }
}

/// <summary>The answers a <see cref="RecordingBackend"/> can give.</summary>
public static class BackendReplies
{
    /// <summary>200 with <c>Content-Length</c> and the body <c>request N TARGET</c>; HEAD-aware (the length, no body).</summary>
    public static BackendReply Default { get; } = (request, connection) => WriteAsync(connection, request, "content-length");

    /// <summary>The same body, sent chunked (two chunks).</summary>
    public static BackendReply Chunked { get; } = (request, connection) => WriteAsync(connection, request, "chunked");

    /// <summary>The same body without a length: the backend closes after it.</summary>
    public static BackendReply CloseDelimited { get; } = (request, connection) => WriteAsync(connection, request, "close");

    /// <summary>The text a default answer carries for <paramref name="request"/>.</summary>
    public static string BodyOf(RecordedRequest request) => $"request {request.Seq} {request.Target}\n";

    /// <summary>200 with a streamed body of <paramref name="length"/> bytes of <see cref="TestPayload"/>, chunked or with a length.</summary>
    public static BackendReply Streamed(long length, bool chunked) => async (request, connection) =>
    {
        var head = chunked ? "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" : $"HTTP/1.1 200 OK\r\nContent-Length: {length}\r\n\r\n";
        await connection.WriteAsync(Encoding.ASCII.GetBytes(head));
        var buffer = new byte[TestPayload.BlockSize];
        for (long offset = 0; offset < length; offset += buffer.Length)
        {
            var n = (int)Math.Min(buffer.Length, length - offset);
            TestPayload.Fill(offset, buffer.AsSpan(0, n));
            if (chunked)
            {
                await connection.WriteAsync(Encoding.ASCII.GetBytes($"{n:x}\r\n"));
            }

            await connection.WriteAsync(buffer.AsMemory(0, n));
            if (chunked)
            {
                await connection.WriteAsync("\r\n"u8.ToArray());
            }
        }

        if (chunked)
        {
            await connection.WriteAsync("0\r\n\r\n"u8.ToArray());
        }

        return true;
    };

    /// <summary>Exactly these bytes, then close (for response-side vectors).</summary>
    public static BackendReply Raw(byte[] bytes) => async (_, connection) =>
    {
        await connection.WriteAsync(bytes);
        return false;
    };

    private static async Task<bool> WriteAsync(Stream connection, RecordedRequest request, string framing)
    {
        var body = Encoding.ASCII.GetBytes(BodyOf(request));
        var head = request.Method == "HEAD";
        var sb = new StringBuilder("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nX-Request: ").Append(request.Seq).Append("\r\n");
        switch (framing)
        {
            case "content-length":
                sb.Append("Content-Length: ").Append(body.Length).Append("\r\n\r\n");
                break;
            case "chunked":
                sb.Append("Transfer-Encoding: chunked\r\n\r\n");
                break;
            default:
                sb.Append("Connection: close\r\n\r\n");
                break;
        }

        await connection.WriteAsync(Encoding.ASCII.GetBytes(sb.ToString()));
        if (!head)
        {
            if (framing == "chunked")
            {
                var half = body.Length / 2;
                await connection.WriteAsync(Encoding.ASCII.GetBytes($"{half:x}\r\n"));
                await connection.WriteAsync(body.AsMemory(0, half));
                await connection.WriteAsync(Encoding.ASCII.GetBytes($"\r\n{body.Length - half:x}\r\n"));
                await connection.WriteAsync(body.AsMemory(half));
                await connection.WriteAsync("\r\n0\r\n\r\n"u8.ToArray());
            }
            else
            {
                await connection.WriteAsync(body);
            }
        }

        return framing != "close";
    }
}

/// <summary>
/// A deterministic body of any length for byte-exact transfer tests: a fixed pseudo-random block, with the block
/// number written into the first bytes of each block so that a reordered, repeated or lost block changes the hash.
/// </summary>
public static class TestPayload
{
    public const int BlockSize = 256 * 1024;

    private static readonly byte[] Block = MakeBlock();

    private static byte[] MakeBlock()
    {
        var block = new byte[BlockSize];
        new Random(16).NextBytes(block);
        return block;
    }

    /// <summary>Fills <paramref name="destination"/> with the payload bytes from <paramref name="offset"/> (a multiple of <see cref="BlockSize"/>).</summary>
    public static void Fill(long offset, Span<byte> destination)
    {
        if (offset % BlockSize != 0)
        {
            throw new ArgumentException("offset must be a multiple of the block size", nameof(offset));
        }

        Block.AsSpan(0, destination.Length).CopyTo(destination);
        var index = offset / BlockSize;
        BitConverter.TryWriteBytes(destination[..Math.Min(8, destination.Length)], index);
    }

    /// <summary>The SHA-256 of the first <paramref name="length"/> payload bytes.</summary>
    public static byte[] Sha256(long length)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[BlockSize];
        for (long offset = 0; offset < length; offset += BlockSize)
        {
            var n = (int)Math.Min(BlockSize, length - offset);
            Fill(offset, buffer.AsSpan(0, n));
            hash.AppendData(buffer, 0, n);
        }

        return hash.GetHashAndReset();
    }
}

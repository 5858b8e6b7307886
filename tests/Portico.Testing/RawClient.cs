using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace Portico.Testing;

/// <summary>One response as a raw client read it off the wire: the status line, the fields in order, the body (de-chunked).</summary>
public sealed record RawResponse(string StatusLine, IReadOnlyList<(string Name, string Value)> Fields, byte[] Body, bool Chunked)
{
    public int Status => StatusLine.Length >= 12 && int.TryParse(StatusLine.AsSpan(9, 3), out var s) ? s : 0;

    public string? Field(string name) => Fields.Where(f => f.Name.Equals(name, StringComparison.OrdinalIgnoreCase)).Select(f => f.Value).FirstOrDefault();

    public bool Has(string name) => Fields.Any(f => f.Name.Equals(name, StringComparison.OrdinalIgnoreCase));

    /// <summary><c>Connection: close</c> among the fields (token match, any case).</summary>
    public bool SaysClose => Fields.Any(f => f.Name.Equals("Connection", StringComparison.OrdinalIgnoreCase)
        && f.Value.Split(',').Any(t => t.Trim().Equals("close", StringComparison.OrdinalIgnoreCase)));

    public string BodyText => Encoding.Latin1.GetString(Body);

    public override string ToString() => $"{StatusLine} [{string.Join("; ", Fields.Select(f => f.Name + ": " + f.Value))}] body {Body.Length} B";
}

/// <summary>What a raw client got for the bytes it sent: every response in order, and whether the server closed after them.</summary>
public sealed record RawExchange(IReadOnlyList<RawResponse> Responses, bool Closed, bool Reset, byte[] Received, string? ParseError)
{
    public RawResponse? First => Responses.Count > 0 ? Responses[0] : null;

    /// <summary>The received bytes, printable, for failure messages.</summary>
    public string Shown => RawClient.Escape(Received.AsSpan(0, Math.Min(Received.Length, 1200)));

    public override string ToString() =>
        $"{Responses.Count} response(s) [{string.Join(" | ", Responses.Select(r => r.StatusLine))}], closed {Closed}, reset {Reset}"
        + (ParseError is null ? "" : $", unreadable: {ParseError}") + $"; received: {Shown}";
}

/// <summary>
/// A client over a plain socket that sends exactly the bytes it is given (no normalisation of any kind) and reads
/// responses byte-exact: for wire tests of a vserver, where an HTTP library would refuse to send the vector or
/// repair what comes back.
/// </summary>
public static class RawClient
{
    /// <summary>
    /// Connects, writes <paramref name="request"/> in one write, and reads until the server closes (or the shared
    /// timeout passes: then <see cref="RawExchange.Closed"/> is false). <paramref name="headRequests"/> tells which
    /// responses (by index) answer a HEAD, so their bodies are not read.
    /// </summary>
    /// <para>With <paramref name="finalResponses"/>, it stops once that many final responses are complete (a
    /// keep-alive connection is not waited on); <see cref="RawExchange.Closed"/> then tells whether the close came too.</para>
    public static async Task<RawExchange> ExchangeAsync(IPEndPoint endpoint, byte[] request, ISet<int>? headRequests = null, int? finalResponses = null)
    {
        using var socket = await ConnectAsync(endpoint);
        await socket.SendAsync(request, SocketFlags.None);
        var (received, closed, reset) = await ReadUntilClosedAsync(socket, Eventually.Timeout,
            finalResponses is { } n ? data => Parse(data, headRequests).Responses.Count(r => r.Status is >= 200 or 101) >= n : null);
        var (responses, error) = Parse(received, headRequests);
        return new RawExchange(responses, closed, reset, received, error);
    }

    public static async Task<Socket> ConnectAsync(IPEndPoint endpoint)
    {
        var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(endpoint);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Reads until the peer closes or resets, or <paramref name="within"/> passes.</summary>
    public static async Task<(byte[] Received, bool Closed, bool Reset)> ReadUntilClosedAsync(Socket socket, TimeSpan within, Func<byte[], bool>? enough = null)
    {
        using var ms = new MemoryStream();
        using var cts = new CancellationTokenSource(within);
        var buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                var n = await socket.ReceiveAsync(buffer, SocketFlags.None, cts.Token);
                if (n == 0)
                {
                    return (ms.ToArray(), true, false);
                }

                ms.Write(buffer, 0, n);
                if (enough is not null && enough(ms.ToArray()))
                {
                    // Closed too if the close is already there (a refusal then is visible as such).
                    await Task.Delay(50, CancellationToken.None);
                    if (socket.Available == 0 && socket.Poll(0, SelectMode.SelectRead))
                    {
                        return (ms.ToArray(), true, false);
                    }

                    return (ms.ToArray(), false, false);
                }
            }
        }
        catch (OperationCanceledException)
        {
            return (ms.ToArray(), false, false);
        }
        catch (SocketException)
        {
            return (ms.ToArray(), true, true);
        }
    }

    /// <summary>Splits <paramref name="data"/> into responses (interim 1xx included, each its own entry).</summary>
    public static (List<RawResponse> Responses, string? Error) Parse(byte[] data, ISet<int>? headRequests = null)
    {
        var responses = new List<RawResponse>();
        var reader = new ByteReader(data);
        var finals = 0;
        while (!reader.AtEnd)
        {
            try
            {
                var response = ReadOne(reader, headRequests?.Contains(finals) == true);
                if (response is null)
                {
                    return (responses, $"incomplete response at byte {reader.Position}");
                }

                responses.Add(response);
                if (response.Status is < 100 or >= 200 || response.Status == 101)
                {
                    finals++;
                }
            }
            catch (FormatException e)
            {
                return (responses, e.Message);
            }
        }

        return (responses, null);
    }

    private static RawResponse? ReadOne(ByteReader reader, bool head)
    {
        var statusLine = reader.Line();
        if (statusLine is null)
        {
            return null;
        }

        if (!statusLine.StartsWith("HTTP/1.", StringComparison.Ordinal))
        {
            throw new FormatException($"not a status line: '{statusLine}'");
        }

        var fields = new List<(string, string)>();
        while (true)
        {
            var line = reader.Line();
            if (line is null)
            {
                return null;
            }

            if (line.Length == 0)
            {
                break;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                throw new FormatException($"not a field line: '{line}'");
            }

            fields.Add((line[..colon], line[(colon + 1)..].Trim(' ', '\t')));
        }

        var response = new RawResponse(statusLine, fields, [], false);
        var status = response.Status;
        if (head || status is (>= 100 and < 200) or 204 or 304)
        {
            return response;
        }

        if (response.Field("Transfer-Encoding") is { } te && te.Contains("chunked", StringComparison.OrdinalIgnoreCase))
        {
            var body = ReadChunked(reader);
            return body is null ? null : response with { Body = body, Chunked = true };
        }

        if (response.Field("Content-Length") is { } cl)
        {
            var length = long.Parse(cl, System.Globalization.CultureInfo.InvariantCulture);
            var body = reader.Take(length);
            return body is null ? null : response with { Body = body };
        }

        return response with { Body = reader.Rest() };
    }

    private static byte[]? ReadChunked(ByteReader reader)
    {
        using var body = new MemoryStream();
        while (true)
        {
            var sizeLine = reader.Line();
            if (sizeLine is null)
            {
                return null;
            }

            var size = Convert.ToInt64(sizeLine.Split(';')[0].Trim(), 16);
            if (size == 0)
            {
                // Trailers up to the empty line.
                while (true)
                {
                    var trailer = reader.Line();
                    if (trailer is null)
                    {
                        return null;
                    }

                    if (trailer.Length == 0)
                    {
                        return body.ToArray();
                    }
                }
            }

            var data = reader.Take(size);
            if (data is null || reader.Line() is not "")
            {
                return null;
            }

            body.Write(data);
        }
    }

    /// <summary>Printable form of bytes: CR, LF, HTAB and any byte outside 0x20-0x7E as escapes.</summary>
    public static string Escape(ReadOnlySpan<byte> bytes)
    {
        var sb = new StringBuilder(bytes.Length);
        foreach (var b in bytes)
        {
            sb.Append(b switch
            {
                (byte)'\r' => "\\r",
                (byte)'\n' => "\\n",
                (byte)'\t' => "\\t",
                (byte)'\\' => "\\\\",
                >= 0x20 and < 0x7F => ((char)b).ToString(),
                _ => $"\\x{b:x2}",
            });
        }

        return sb.ToString();
    }

    /// <summary>SHA-256 of a byte count read from <paramref name="stream"/> exactly; throws when it ends early.</summary>
    public static async Task<byte[]> HashExactlyAsync(Stream stream, long count, CancellationToken cancellationToken = default)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[256 * 1024];
        while (count > 0)
        {
            var n = await stream.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, count)), cancellationToken);
            if (n == 0)
            {
                throw new EndOfStreamException($"{count} bytes short");
            }

            hash.AppendData(buffer, 0, n);
            count -= n;
        }

        return hash.GetHashAndReset();
    }

    /// <summary>A cursor over received bytes; lines end at CRLF (a bare LF is accepted here, the server's framing is the test's subject).</summary>
    private sealed class ByteReader(byte[] data)
    {
        public int Position { get; private set; }

        public bool AtEnd => Position >= data.Length;

        public string? Line()
        {
            var lf = Array.IndexOf(data, (byte)'\n', Position);
            if (lf < 0)
            {
                return null;
            }

            var end = lf > Position && data[lf - 1] == '\r' ? lf - 1 : lf;
            var line = Encoding.Latin1.GetString(data, Position, end - Position);
            Position = lf + 1;
            return line;
        }

        public byte[]? Take(long count)
        {
            if (data.Length - Position < count)
            {
                return null;
            }

            var taken = data.AsSpan(Position, (int)count).ToArray();
            Position += (int)count;
            return taken;
        }

        public byte[] Rest()
        {
            var rest = data.AsSpan(Position).ToArray();
            Position = data.Length;
            return rest;
        }
    }
}

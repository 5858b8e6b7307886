using System.Security.Cryptography;
using Portico.Caching;
using Portico.Http.Parsing;

namespace Portico.Http.Proxying;

/// <summary>
/// A response being stored as it is relayed: the head as the client got it (less the fields each answer writes
/// itself), and the payload teed from what is sent, decoded back from Portico's own chunks when the client got
/// chunks. Bounded by the group's -maxResSize: past it the fill gives up and the relay goes on untouched.
/// </summary>
internal sealed class CacheFill
{
    private readonly byte[] _fields;
    private readonly byte[] _notModifiedFields;
    private readonly long _max;
    private readonly bool _chunked;
    private byte[] _body;
    private int _length;
    private ChunkedDecoder _chunks;
    private bool _done;

    public CacheFill(byte[] fields, byte[] notModifiedFields, long expected, long max, bool chunked)
    {
        _fields = fields;
        _notModifiedFields = notModifiedFields;
        _max = max;
        _chunked = chunked;
        _body = GC.AllocateUninitializedArray<byte>((int)Math.Max(0, Math.Min(expected >= 0 ? expected : 16 * 1024, max)));
        _done = expected == 0;
    }

    /// <summary>The payload passed -maxResSize or its framing broke: nothing is stored.</summary>
    public bool Failed { get; private set; }

    /// <summary>All of the payload is in (a Content-Length reached, or the last chunk seen).</summary>
    public bool Complete => !Failed && (_done || (!_chunked && _length == _body.Length));

    /// <summary>Takes bytes as they are sent to the client: payload, or Portico's canonical chunks of it.</summary>
    public void Add(ReadOnlySpan<byte> sent, HttpLimits limits)
    {
        if (Failed)
        {
            return;
        }

        if (!_chunked)
        {
            Append(sent);
            return;
        }

        var at = 0;
        while (at < sent.Length && !Failed)
        {
            var step = _chunks.Next(sent[at..], limits, out var used, out var start, out var length);
            if (step == ChunkStep.Data && length > 0)
            {
                Append(sent.Slice(at + start, length));
            }

            at += used;
            if (step == ChunkStep.Done)
            {
                _done = true;
                return;
            }

            if (step is ChunkStep.Invalid or ChunkStep.NeedMore)
            {
                Failed = step == ChunkStep.Invalid;
                return;
            }
        }
    }

    private void Append(ReadOnlySpan<byte> data)
    {
        if (_length + (long)data.Length > _max)
        {
            Failed = true;
            _body = [];
            return;
        }

        if (_length + data.Length > _body.Length)
        {
            var bigger = GC.AllocateUninitializedArray<byte>((int)Math.Min(_max, Math.Max(_body.Length * 2L, _length + data.Length)));
            _body.AsSpan(0, _length).CopyTo(bigger);
            _body = bigger;
        }

        data.CopyTo(_body.AsSpan(_length));
        _length += data.Length;
    }

    /// <summary>The stored entry (its ETag one of Portico's when the member sent none and the group inserts one).</summary>
    public CacheEntry Build(CacheEntryInfo info, string? etag, bool insertETag)
    {
        var body = _body.AsMemory(0, _length);
        byte[]? etagLine = null;
        if (etag is null && insertETag)
        {
            // Derived from the payload: every member that serves the same bytes gives the same tag.
            etag = $"\"p{Convert.ToHexStringLower(SHA256.HashData(body.Span).AsSpan(0, 10))}\"";
            etagLine = System.Text.Encoding.ASCII.GetBytes($"ETag: {etag}\r\n");
        }

        var length = System.Text.Encoding.ASCII.GetBytes($"Content-Length: {_length}\r\n");
        byte[] head = [.. _fields, .. etagLine ?? [], .. length];
        byte[] notModified = [.. "HTTP/1.1 304 Not Modified\r\n"u8, .. _notModifiedFields, .. etagLine ?? []];
        return new CacheEntry
        {
            Group = info.Group, Key = info.Key, Host = info.Host, Url = info.Url, VaryValues = info.VaryValues, Head = head, NotModifiedHead = notModified,
            Body = body, Status = info.Status, ETag = etag, LastModified = info.LastModified, ResponseTime = info.ResponseTime, InitialAge = info.InitialAge,
            LifetimeMs = info.LifetimeMs,
        };
    }
}

/// <summary>What is known of an entry when its head arrives.</summary>
internal sealed record CacheEntryInfo(string Group, string Key, string Host, string Url, byte[]?[] VaryValues, string[] Vary, int Status,
    string? ETag, DateTimeOffset? LastModified, long ResponseTime, long InitialAge, long LifetimeMs);

using System.Runtime.CompilerServices;
using System.Text;
using Portico.Compression;
using Portico.Http.Parsing;
using Portico.Rewrite;

namespace Portico.Http.Proxying;

/// <summary>
/// Compression on the engine (NetScaler's CMP). The request's Accept-Encoding is read when the request is forwarded
/// (its head may leave the input before the response comes); the response head then decides: never-compress cases
/// first, then the policies, then the coding the client prefers. A compressed response is streamed: each read from
/// the member is compressed and flushed to the client at once, re-chunked (close-delimited toward HTTP/1.0), so
/// neither a large nor a slow body is ever held whole. Every other response takes the ordinary relay, unchanged.
/// </summary>
internal sealed partial class Http1Connection
{
    private static readonly byte[] AcceptEncodingName = "Accept-Encoding"u8.ToArray();

    // The request's offer, read by NoteCompressionOffer; None when compression is off or the request rules it out.
    private AcceptEncoding _acceptEncoding;

    // A chunked body's payload, decoded before it is compressed (rented only while a compressed response streams).
    private OutBuffer? _plain;

    /// <summary>Reads the request's Accept-Encoding when compression is on (one check otherwise).</summary>
    private void NoteCompressionOffer()
    {
        _acceptEncoding = AcceptEncoding.None;
        if (!_services.Compression.Current.Enabled || _head.KnownMethod == KnownMethod.Head)
        {
            return;
        }

        var span = _in.Span;
        Range? single = null;
        var count = 0;
        foreach (ref readonly var field in _head.Fields)
        {
            var name = span[field.Name];
            if (name.Length == 5 && System.Text.Ascii.EqualsIgnoreCase(name, "Range"u8))
            {
                // A range of a coded body is not the range the client asked of the representation.
                return;
            }

            if (System.Text.Ascii.EqualsIgnoreCase(name, AcceptEncodingName))
            {
                single ??= field.Value;
                count++;
            }
        }

        if (count == 0)
        {
            return;
        }

        _acceptEncoding = count == 1 ? AcceptEncoding.Parse(span[single!.Value]) : AcceptEncoding.Parse(Joined(span));
        if (_acceptEncoding.Present && !_bodyComplete && _snapshot is null)
        {
            // The body takes the head out of the input: policies that read the request then read this copy.
            _snapshot = RequestSnapshot.Of(span, _head, ((Policies.Expressions.IPolicyRequest)this).Host);
        }
    }

    /// <summary>Several Accept-Encoding fields as one list (RFC 9110 section 5.3), bounded like one field.</summary>
    private byte[] Joined(ReadOnlySpan<byte> span)
    {
        var joined = new List<byte>();
        foreach (ref readonly var field in _head.Fields)
        {
            if (System.Text.Ascii.EqualsIgnoreCase(span[field.Name], AcceptEncodingName))
            {
                if (joined.Count > 0)
                {
                    joined.Add((byte)',');
                }

                joined.AddRange(span[field.Value]);
                if (joined.Count > AcceptEncoding.MaxLength)
                {
                    break;
                }
            }
        }

        return [.. joined];
    }

    /// <summary>The encoder for this response, or null when it passes as the member sent it.</summary>
    private Compressor? CompressionFor(HttpVserver vserver, ResponseHead response, InBuffer input)
    {
        var runtime = _services.Compression;
        var tables = runtime.Current;
        if (!tables.Enabled || response.Framing == BodyFraming.None)
        {
            return null;
        }

        var span = input.Span;
        var parameter = tables.Parameter;
        if (CmpEligibility.Refusal(response.Status, FieldText(response, span, "Content-Encoding"u8), FieldText(response, span, "Cache-Control"u8),
                FieldText(response, span, "Content-Type"u8),
                response.Framing == BodyFraming.ContentLength ? response.ContentLength : null, parameter.MinResSize) is not null)
        {
            return null;
        }

        CmpType? decided;
        _policyResponse = response;
        _policyResponseInput = input;
        try
        {
            decided = tables.Decide(this, Vserver.Name, vserver.Name);
        }
        finally
        {
            _policyResponse = null;
            _policyResponseInput = null;
        }

        if (decided is not { } type || _acceptEncoding.Choose(CmpEligibility.Allowed(type)) is not (not ContentCoding.Identity and var coding))
        {
            return null;
        }

        if (runtime.CpuAbove(parameter.BypassPct))
        {
            Interlocked.Increment(ref runtime.Stats.BypassedCpu);
            return null;
        }

        if (!runtime.Budget.TryTake(Compressor.CostOf(coding)))
        {
            Interlocked.Increment(ref runtime.Stats.BypassedMemory);
            return null;
        }

        return Compressor.Create(coding, parameter.Level);
    }

    /// <summary>
    /// Relays a response through <paramref name="compressor"/>: the head with Content-Encoding, Vary and a weak
    /// ETag and without Content-Length, then the body compressed read by read.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<Exchange> RelayCompressedAsync(HttpVserver vserver, ServerConnection server, string? cookieToSet, TimeSpan timeout, bool keepAlive,
        HeadEdits? edits, Compressor compressor)
    {
        var member = server.Member;
        var response = server.Head;
        var input = server.Input;
        var framing = response.Framing;
        var status = response.Status;
        var stats = _services.Compression.Stats;
        var rechunk = _head.Minor != 0;
        keepAlive &= rechunk;
        try
        {
            stats.Count(compressor.Coding);
            var addVary = _services.Compression.Current.Parameter.AddVaryHeader;
            _weakenETag = true;
            try
            {
                ComposeResponseHead(vserver, response, input.Span, BodyFraming.Chunked, rechunk, keepAlive, cookieToSet,
                    CompressedHead(edits, response, input.Span, compressor.Coding, addVary));
                if (_cache is { Active: true } && rechunk)
                {
                    // Integrated cache: the compressed variant is stored as sent (its Vary names Accept-Encoding).
                    CacheBeginStore(vserver, response, input, BodyFraming.Chunked, rechunk, _response.Length);
                }
            }
            finally
            {
                _weakenETag = false;
                _changes = null;
            }

            var teeFrom = _response.Length;
            input.Consume(response.HeadLength);
            _serverChunks = default;
            var remaining = framing == BodyFraming.ContentLength ? response.ContentLength : 0;
            var done = false;
            while (true)
            {
                if (!input.IsEmpty)
                {
                    ReadOnlySpan<byte> payload;
                    if (framing == BodyFraming.ContentLength)
                    {
                        var take = (int)Math.Min(remaining, input.Count);
                        payload = input.Span[..take];
                        remaining -= take;
                        done = remaining == 0;
                        Emit(compressor, payload, rechunk, stats);
                        input.Consume(take);
                    }
                    else if (framing == BodyFraming.Chunked)
                    {
                        _plain ??= new OutBuffer();
                        _plain.Clear();
                        var step = Framing.Transcode(ref _serverChunks, input.Span, vserver.Limits, _plain, rechunk: false, out var consumed);
                        input.Consume(consumed);
                        if (step == ChunkStep.Invalid)
                        {
                            // The head is sent: the client sees a body that ends without its last chunk.
                            return Broke(member, status, "L7RSP invalid chunked body");
                        }

                        done = step == ChunkStep.Done;
                        Emit(compressor, _plain.Written.Span, rechunk, stats);
                    }
                    else
                    {
                        Emit(compressor, input.Span, rechunk, stats);
                        input.Consume(input.Count);
                    }
                }

                if (done)
                {
                    End(compressor, rechunk, stats);
                }

                if (_response.Length > 0)
                {
                    if (_cache is { Fill: not null })
                    {
                        CacheTee(vserver, _response.Written.Span[teeFrom..]); // the first write starts with the head
                    }

                    teeFrom = 0;
                    if (!await TryWriteClientAsync(vserver, _response.Written).ConfigureAwait(false))
                    {
                        return new Exchange(Outcome.ClientGone, member, null) { Status = status, ResponseStarted = true };
                    }

                    _response.Clear();
                }

                if (done)
                {
                    break;
                }

                int n;
                try
                {
                    server.SetDeadline(Deadlines.After(timeout));
                    n = await input.ReadAsync(server.Wire, StreamRoom).ConfigureAwait(false);
                }
                catch (Exception e) when (IsConnectionError(e))
                {
                    return Broke(member, status, server.TimedOut ? "L7TOUT response stalled" : $"L7RSP {Broken(e, server)} during the response");
                }

                if (n == 0)
                {
                    if (framing != BodyFraming.CloseDelimited)
                    {
                        return Broke(member, status, "L7RSP closed during the response");
                    }

                    done = true;
                    continue;
                }

                Interlocked.Add(ref member.Counters.BytesFromServer, n);
            }

            return new Exchange(Outcome.Done, member, null)
            {
                Status = status,
                ResponseStarted = true,
                ClientKeepAlive = keepAlive,
                ServerReusable = response.KeepAlive && framing != BodyFraming.CloseDelimited && input.IsEmpty,
            };
        }
        finally
        {
            compressor.Dispose();
            _services.Compression.Budget.Give(compressor.Cost);
            _plain?.Release();
        }
    }

    /// <summary>Compresses one read's payload into <see cref="_response"/>, as a chunk toward HTTP/1.1 clients.</summary>
    private void Emit(Compressor compressor, ReadOnlySpan<byte> payload, bool rechunk, CmpStats stats)
    {
        if (payload.IsEmpty)
        {
            return;
        }

        Interlocked.Add(ref stats.BytesIn, payload.Length);
        Append(compressor.Compress(payload), rechunk, stats);
    }

    /// <summary>The coding's end and, toward HTTP/1.1, the last chunk.</summary>
    private void End(Compressor compressor, bool rechunk, CmpStats stats)
    {
        Append(compressor.Finish(), rechunk, stats);
        if (rechunk)
        {
            _response.Append("0\r\n\r\n"u8);
        }
    }

    private void Append(ReadOnlySpan<byte> coded, bool rechunk, CmpStats stats)
    {
        if (coded.IsEmpty)
        {
            return;
        }

        Interlocked.Add(ref stats.BytesOut, coded.Length);
        if (rechunk)
        {
            Framing.Chunk(coded, _response);
        }
        else
        {
            _response.Append(coded);
        }
    }

    // Set while a compressed response's head is composed: its ETag is weakened after every other change to it.
    private bool _weakenETag;

    private static void WeakenETag(List<(string Name, string Value)> fields)
    {
        for (var i = 0; i < fields.Count; i++)
        {
            if (fields[i].Name.Equals("ETag", StringComparison.OrdinalIgnoreCase) && CmpEligibility.Weaken(fields[i].Value) is { } weak)
            {
                fields[i] = (fields[i].Name, weak);
            }
        }
    }

    /// <summary>The head's changes for a compressed body, after the rewrite policies' own.</summary>
    private static HeadEdits CompressedHead(HeadEdits? rewrite, ResponseHead response, ReadOnlySpan<byte> span, ContentCoding coding, bool addVary)
    {
        var edits = new HeadEdits();
        foreach (var e in rewrite?.Edits ?? [])
        {
            edits.Add(e);
        }

        if (addVary && CmpEligibility.MergeVary(FieldText(response, span, "Vary"u8)) is { } vary)
        {
            edits.Add(new HeadEdits.Edit(RewriteActionType.DeleteHttpHeader, TargetPart.Header, "Vary", null, null));
            edits.Add(new HeadEdits.Edit(RewriteActionType.InsertHttpHeader, TargetPart.Header, "Vary", vary, null));
        }

        // A Content-Encoding: identity the member sent would contradict the coding.
        edits.Add(new HeadEdits.Edit(RewriteActionType.DeleteHttpHeader, TargetPart.Header, "Content-Encoding", null, null));
        edits.Add(new HeadEdits.Edit(RewriteActionType.InsertHttpHeader, TargetPart.Header, "Content-Encoding", coding.Token(), null));
        return edits;
    }

    private static string? FieldText(ResponseHead response, ReadOnlySpan<byte> span, ReadOnlySpan<byte> name) =>
        response.Field(span, name) is { } v ? Encoding.Latin1.GetString(span[v]) : null;
}

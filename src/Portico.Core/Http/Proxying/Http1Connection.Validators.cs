using System.Runtime.CompilerServices;
using System.Text;
using Ascii = System.Text.Ascii;
using Portico.Http.Parsing;
using Portico.Validation;

namespace Portico.Http.Proxying;

/// <summary>
/// ETag modes, conditional requests and expiry on the engine (<c>-eTag</c>, <c>-expires</c> of the HTTP profile,
/// docs/design/etags.md). Under STRIP and NORMALIZE the client's validators are not the member's, so the member never
/// sees If-None-Match (nor the If-Modified-Since it overrides, nor an If-Range holding a tag, with its Range): Portico
/// evaluates them against the member's 200 as the client would get it and answers 304 itself. Profiles without these
/// options have no plan (<see cref="EngineProfile.Validators"/> is null) and their requests never come here.
/// </summary>
internal sealed partial class Http1Connection
{
    /// <summary>The most body bytes read and dropped after Portico answered 304, to keep the server connection for the next request.</summary>
    public const int DrainLimit = 64 * 1024;

    private Held _held;
    private string? _ifNoneMatch;
    private string? _ifModifiedSince;

    // The changes to the response head being written, while it is composed; null on the ordinary path.
    private ResponseChanges? _changes;
    private ResponseChanges? _changesStore;

    [Flags]
    private enum Held
    {
        None = 0,
        IfNoneMatch = 1,
        IfModifiedSince = 2,

        // Range and If-Range: a tag in If-Range is Portico's, which the member cannot compare, so the client gets the whole representation.
        Range = 4,
    }

    /// <summary>
    /// Notes the request's conditional fields and returns which of them the member must not get (GET and HEAD under
    /// STRIP or NORMALIZE). Called only for vservers with a plan: the others never pay for it.
    /// </summary>
    private Held HoldConditionals(HttpVserver vserver)
    {
        _ifNoneMatch = null;
        _ifModifiedSince = null;
        if (vserver.Profile.Validators is not { AnswersConditionals: true } || _head.KnownMethod is not (KnownMethod.Get or KnownMethod.Head))
        {
            return Held.None;
        }

        var held = Held.None;
        var span = _in.Span;
        var modifiedSinceFields = 0;
        foreach (ref readonly var field in _head.Fields)
        {
            var name = span[field.Name];
            if (Ascii.EqualsIgnoreCase(name, "If-None-Match"u8))
            {
                var value = Encoding.Latin1.GetString(span[field.Value]);
                _ifNoneMatch = _ifNoneMatch is null ? value : _ifNoneMatch + ", " + value;
            }
            else if (Ascii.EqualsIgnoreCase(name, "If-Modified-Since"u8))
            {
                // Two fields are not one date (RFC 9110 section 13.1.3): the condition is then ignored.
                _ifModifiedSince = ++modifiedSinceFields == 1 ? Encoding.Latin1.GetString(span[field.Value]) : "";
            }
            else if (Ascii.EqualsIgnoreCase(name, "If-Range"u8) && span[field.Value] is [(byte)'"', ..] or [(byte)'W', (byte)'/', ..])
            {
                held |= Held.Range;
            }
        }

        if (_ifNoneMatch is not null)
        {
            // When If-None-Match is present If-Modified-Since is ignored (RFC 9110 section 13.2.2): the member must
            // not answer 304 on a date alone. Alone, If-Modified-Since goes to the member, whose dates are the client's.
            held |= Held.IfNoneMatch | Held.IfModifiedSince;
        }

        return held;
    }

    /// <summary>A client field the member does not get because Portico answers it (see <see cref="HoldConditionals"/>); callers test <c>_held</c> first.</summary>
    private bool IsHeld(ReadOnlySpan<byte> span, in HeaderField field)
    {
        var name = span[field.Name];
        return ((_held & Held.IfNoneMatch) != 0 && Ascii.EqualsIgnoreCase(name, "If-None-Match"u8))
            || ((_held & Held.IfModifiedSince) != 0 && Ascii.EqualsIgnoreCase(name, "If-Modified-Since"u8))
            || ((_held & Held.Range) != 0 && (Ascii.EqualsIgnoreCase(name, "If-Range"u8) || Ascii.EqualsIgnoreCase(name, "Range"u8)));
    }

    /// <summary>
    /// What the plan does to this response: its ETag, whether Portico answers 304, the expiry fields. Null when
    /// nothing changes, so the head is written as the member sent it.
    /// </summary>
    private ResponseChanges? Validate(ValidatorPlan plan, ResponseHead response, ReadOnlySpan<byte> span, bool answerable)
    {
        string? etag = null, cacheControl = null, lastModified = null, contentType = null;
        var contentLength = false;
        foreach (ref readonly var field in response.Fields)
        {
            var name = span[field.Name];
            if (field.Kind == FieldKind.ContentType)
            {
                contentType ??= Encoding.Latin1.GetString(span[field.Value]);
            }
            else if (field.Kind == FieldKind.ContentLength)
            {
                contentLength = true;
            }
            else if (Ascii.EqualsIgnoreCase(name, "ETag"u8))
            {
                etag ??= Encoding.Latin1.GetString(span[field.Value]);
            }
            else if (Ascii.EqualsIgnoreCase(name, "Cache-Control"u8))
            {
                var value = Encoding.Latin1.GetString(span[field.Value]);
                cacheControl = cacheControl is null ? value : cacheControl + ", " + value;
            }
            else if (Ascii.EqualsIgnoreCase(name, "Last-Modified"u8))
            {
                lastModified ??= Encoding.Latin1.GetString(span[field.Value]);
            }
        }

        var c = _changesStore ??= new ResponseChanges();
        c.Reset();
        var now = _services.Time.GetUtcNow();
        DateTimeOffset? modified = lastModified is not null && HttpDate.TryParse(lastModified, now, out var lm) ? lm : null;
        EntityTag? current = null;
        switch (plan.ETag)
        {
            case ETagMode.Strip:
                c.ETagChanged = etag is not null;
                break;
            case ETagMode.Normalize:
                long? size = response.Framing == BodyFraming.ContentLength || (response.Framing == BodyFraming.None && contentLength) ? response.ContentLength : null;
                // A 206's Content-Length is the part's, not the representation's: no tag is derived from it.
                var normalized = ETagNormalization.Normalize(etag, size, modified, bodyless: response.Status is 304 or 206);
                c.ETagChanged = normalized.Action != ETagAction.Keep;
                c.ETag = normalized.Action == ETagAction.Replace ? normalized.Tag.ToString() : null;
                current = normalized.Tag;
                break;
            default:
                current = etag is not null && EntityTag.TryParseField(etag, out var kept) ? kept : null;
                break;
        }

        if (answerable && plan.AnswersConditionals && response.Status == 200 && (_ifNoneMatch is not null || _ifModifiedSince is not null))
        {
            c.NotModified = Portico.Validation.Conditional.Evaluate(_ifNoneMatch, _ifModifiedSince, current, modified, now) == ConditionalResult.NotModified;
            c.KeepsLastModified = current is null;
        }

        if (plan.Expires is { } rules && Expiry.Decide(rules, c.NotModified ? 304 : response.Status, cacheControl, contentType, now) is { } expiry)
        {
            c.CacheControl = expiry.CacheControl;
            c.Expires = expiry.Expires;
        }

        return c.ETagChanged || c.NotModified || c.CacheControl is not null ? c : null;
    }

    /// <summary>The member's fields with the changes, for <see cref="ComposeResponseHead"/> (fields as bytes: no text per field).</summary>
    private void ComposeChangedFields(ResponseChanges changes, ResponseHead response, ReadOnlySpan<byte> span, bool bodyless)
    {
        foreach (ref readonly var field in response.Fields)
        {
            if ((field.HopByHop && !(bodyless && field.Kind is FieldKind.ContentLength or FieldKind.TransferEncoding)) || changes.Replaces(span[field.Name]))
            {
                continue;
            }

            _response.Append(span[field.Name]);
            _response.Append(": "u8);
            _response.Append(span[field.Value]);
            _response.Append("\r\n"u8);
        }

        AppendAdded(changes);
    }

    /// <summary>
    /// Answers 304 for the member's 200 (RFC 9110 section 15.4.5: the fields a 200 would have carried that guide
    /// caches, no body), then drops the member's body so its connection can carry the next request: up to
    /// <see cref="DrainLimit"/> bytes, else the connection is closed.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<Exchange> NotModifiedAsync(HttpVserver vserver, ServerConnection server, ResponseChanges changes, Rewrite.HeadEdits? edits,
        bool keepAlive, string? cookieToSet, TimeSpan timeout)
    {
        var member = server.Member;
        var response = server.Head;
        var input = server.Input;
        _response.Clear();
        _response.Append("HTTP/1.1 304 Not Modified\r\n"u8);
        var dated = edits is null ? NotModifiedFields(changes, response, input.Span) : NotModifiedFields(changes, edits, response, input.Span);
        if (!dated)
        {
            _response.Append("Date: "u8);
            _response.AppendAscii(HttpDate.Format(_services.Time.GetUtcNow()));
            _response.Append("\r\n"u8);
        }

        if (cookieToSet is not null)
        {
            _response.Append("Set-Cookie: "u8);
            _response.AppendAscii(vserver.PersistenceCookie(cookieToSet, _services.Time));
            _response.Append("\r\n"u8);
        }

        _response.Append(!keepAlive ? "Connection: close\r\n\r\n"u8 : _head.Minor == 0 ? "Connection: keep-alive\r\n\r\n"u8 : "\r\n"u8);
        var framing = response.Framing;
        var serverKeepAlive = response.KeepAlive && framing != BodyFraming.CloseDelimited;
        input.Consume(response.HeadLength);
        if (!await TryWriteClientAsync(vserver, _response.Written).ConfigureAwait(false))
        {
            return new Exchange(Outcome.ClientGone, member, null) { Status = 304, ResponseStarted = true };
        }

        Interlocked.Increment(ref vserver.Runtime.Counters.NotModified);
        var drained = serverKeepAlive && await DrainAsync(vserver, server, framing, response.ContentLength, timeout).ConfigureAwait(false);
        return new Exchange(Outcome.Done, member, null)
        {
            Status = 304,
            ResponseStarted = true,
            ClientKeepAlive = keepAlive,
            ServerReusable = drained && input.IsEmpty,
        };
    }

    /// <summary>The fields the changes add, after the member's.</summary>
    private void AppendAdded(ResponseChanges changes)
    {
        if (changes.ETagChanged && changes.ETag is { } etag)
        {
            _response.Append("ETag: "u8);
            _response.AppendText(etag);
            _response.Append("\r\n"u8);
        }

        if (changes.CacheControl is { } cacheControl)
        {
            _response.Append("Cache-Control: "u8);
            _response.AppendText(cacheControl);
            _response.Append("\r\nExpires: "u8);
            _response.AppendAscii(changes.Expires!);
            _response.Append("\r\n"u8);
        }
    }

    /// <summary>The 304's fields from the member's bytes (no rewrite edits); true when a Date was among them.</summary>
    private bool NotModifiedFields(ResponseChanges changes, ResponseHead response, ReadOnlySpan<byte> span)
    {
        var dated = false;
        foreach (ref readonly var field in response.Fields)
        {
            var name = span[field.Name];
            if (field.HopByHop || changes.Replaces(name) || !ResponseChanges.KeptIn304(name, changes.KeepsLastModified))
            {
                continue;
            }

            dated |= field.Kind == FieldKind.Date;
            _response.Append(name);
            _response.Append(": "u8);
            _response.Append(span[field.Value]);
            _response.Append("\r\n"u8);
        }

        AppendAdded(changes);

        return dated;
    }

    /// <summary>The 304's fields after rewrite's edits (the slow path, as text); true when a Date was among them.</summary>
    private bool NotModifiedFields(ResponseChanges changes, Rewrite.HeadEdits edits, ResponseHead response, ReadOnlySpan<byte> span)
    {
        var fields = new List<(string Name, string Value)>(response.FieldCount);
        foreach (ref readonly var field in response.Fields)
        {
            if (!field.HopByHop)
            {
                fields.Add((Encoding.Latin1.GetString(span[field.Name]), Encoding.Latin1.GetString(span[field.Value])));
            }
        }

        string? none = null;
        edits.Apply(ref none, fields);
        changes.ApplyTo(fields);
        var dated = false;
        foreach (var (name, value) in fields)
        {
            if (ResponseChanges.KeptIn304(Encoding.Latin1.GetBytes(name), changes.KeepsLastModified))
            {
                dated |= name.Equals("Date", StringComparison.OrdinalIgnoreCase);
                _response.AppendText(name);
                _response.Append(": "u8);
                _response.AppendText(value);
                _response.Append("\r\n"u8);
            }
        }

        return dated;
    }

    /// <summary>Reads and drops the body Portico did not forward; false when it is too long, broken or close-delimited.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<bool> DrainAsync(HttpVserver vserver, ServerConnection server, BodyFraming framing, long length, TimeSpan timeout)
    {
        var input = server.Input;
        if (framing == BodyFraming.None)
        {
            return true;
        }

        if (framing == BodyFraming.ContentLength && length > DrainLimit || framing == BodyFraming.CloseDelimited)
        {
            return false;
        }

        _serverChunks = default;
        var remaining = length;
        var budget = DrainLimit + 4096L;
        while (true)
        {
            if (framing == BodyFraming.ContentLength)
            {
                var take = (int)Math.Min(remaining, input.Count);
                input.Consume(take);
                remaining -= take;
                if (remaining == 0)
                {
                    return true;
                }
            }
            else if (!input.IsEmpty)
            {
                _response.Clear();
                var step = Framing.Transcode(ref _serverChunks, input.Span, vserver.Limits, _response, rechunk: false, out var consumed);
                input.Consume(consumed);
                budget -= consumed;
                if (step == ChunkStep.Done)
                {
                    return true;
                }

                if (step == ChunkStep.Invalid || budget < 0)
                {
                    return false;
                }
            }

            int n;
            try
            {
                server.SetDeadline(Deadlines.After(timeout));
                n = await input.ReadAsync(server.Wire, 16 * 1024).ConfigureAwait(false);
            }
            catch (Exception e) when (IsConnectionError(e))
            {
                return false;
            }

            if (n == 0)
            {
                return false;
            }

            Interlocked.Add(ref server.Member.Counters.BytesFromServer, n);
        }
    }
}

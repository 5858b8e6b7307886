using System.Text;
using Portico.Http.Parsing;
using Portico.Rewrite;

namespace Portico.Http.Proxying;

/// <summary>
/// Rewrite on the engine: the request's edits are computed once the lb vserver is known and applied as the request is
/// composed (and again, identically, for a retry); the response's when its head arrives. A head without edits takes
/// the ordinary path, byte for byte.
/// </summary>
internal sealed partial class Http1Connection
{
    private HeadEdits? _requestEdits;

    // The request as rules read it once its head has left the input (a body was attached): only kept when response
    // policies exist, since only they read the request that late.
    private RequestSnapshot? _snapshot;

    // The response whose head the response policies read (HTTP.RES.*), while they run.
    private ResponseHead? _policyResponse;
    private InBuffer? _policyResponseInput;

    /// <summary>Computes the request's edits; a RESET or DROP verdict ends the connection (the returned value).</summary>
    private bool? RewriteRequest(HttpVserver vserver)
    {
        _requestEdits = null;
        _snapshot = null;
        var rewrite = _services.Rewrite.Current;
        if (rewrite.IsEmpty)
        {
            return null;
        }

        if (rewrite.RewritesResponses)
        {
            _snapshot = RequestSnapshot.Of(_in.Span, _head, ((Policies.Expressions.IPolicyRequest)this).Host);
        }

        if (!rewrite.RewritesRequests)
        {
            return null;
        }

        switch (rewrite.Request(this, Vserver.Name, vserver.Name, out _requestEdits))
        {
            case RewriteVerdict.Reset:
                _client.Close(reset: true);
                return false;
            case RewriteVerdict.Drop:
                return false;
            default:
                return null;
        }
    }

    /// <summary>The request line and fields after the edits (the slow path: fields become text, are edited, are written).</summary>
    private void ComposeRewritten(HeadEdits edits, string? cipHeader)
    {
        var span = _in.Span;
        var fields = new List<(string Name, string Value)>(_head.FieldCount + 2);
        foreach (ref readonly var field in _head.Fields)
        {
            if (Forwarded(span, field, cipHeader) && (_held == Held.None || !IsHeld(span, field)))
            {
                fields.Add((Encoding.Latin1.GetString(span[field.Name]), Encoding.Latin1.GetString(span[field.Value])));
            }
        }

        string? target = _head.Form == TargetForm.Asterisk ? "*" : Url();
        edits.Apply(ref target, fields);
        _out.Append(span[_head.Method]);
        _out.Append(" "u8);
        _out.AppendText(target!);
        _out.Append(_head.Minor == 0 ? " HTTP/1.0\r\n"u8 : " HTTP/1.1\r\n"u8);
        foreach (var (name, value) in fields)
        {
            _out.AppendText(name);
            _out.Append(": "u8);
            _out.AppendText(value);
            _out.Append("\r\n"u8);
        }
    }

    /// <summary>The response's edits; RESET or DROP closes the client connection before any of the response is sent.</summary>
    private RewriteVerdict RewriteResponse(HttpVserver vserver, ResponseHead response, InBuffer input, out HeadEdits? edits)
    {
        edits = null;
        var rewrite = _services.Rewrite.Current;
        if (!rewrite.RewritesResponses)
        {
            return RewriteVerdict.Continue;
        }

        _policyResponse = response;
        _policyResponseInput = input;
        try
        {
            return rewrite.Response(this, Vserver.Name, vserver.Name, out edits);
        }
        finally
        {
            _policyResponse = null;
            _policyResponseInput = null;
        }
    }

    /// <summary>The server's status line and fields after the edits, for <see cref="ComposeResponseHead"/>.</summary>
    private void ComposeRewrittenFields(HeadEdits edits, ResponseHead response, ReadOnlySpan<byte> span, bool bodyless)
    {
        var fields = new List<(string Name, string Value)>(response.FieldCount + 2);
        foreach (ref readonly var field in response.Fields)
        {
            if (!field.HopByHop || (bodyless && field.Kind is FieldKind.ContentLength or FieldKind.TransferEncoding))
            {
                fields.Add((Encoding.Latin1.GetString(span[field.Name]), Encoding.Latin1.GetString(span[field.Value])));
            }
        }

        string? none = null;
        edits.Apply(ref none, fields);
        _changes?.ApplyTo(fields); // validators (Http1Connection.Validators.cs), after rewrite's edits
        if (_weakenETag)
        {
            // A compressed body is not the identity one byte for byte: whatever tag the edits and validators left is weak.
            WeakenETag(fields);
        }
        foreach (var (name, value) in fields)
        {
            _response.AppendText(name);
            _response.Append(": "u8);
            _response.AppendText(value);
            _response.Append("\r\n"u8);
        }
    }

    /// <summary>The response field <paramref name="name"/> while response policies run.</summary>
    private string? PolicyResponseHeader(string name) =>
        _policyResponse is { } r && _policyResponseInput is { } input && r.Field(input.Span, Encoding.ASCII.GetBytes(name)) is { } value
            ? Encoding.Latin1.GetString(input.Span[value])
            : null;

    /// <summary>The request's values as text, for rules that read the request after its head left the input.</summary>
    private sealed record RequestSnapshot(string Method, string Target, string? Host, (string Name, string Value)[] Fields)
    {
        public static RequestSnapshot Of(ReadOnlySpan<byte> span, RequestHead head, string? host)
        {
            var fields = new (string, string)[head.FieldCount];
            var i = 0;
            foreach (ref readonly var f in head.Fields)
            {
                fields[i++] = (Encoding.Latin1.GetString(span[f.Name]), Encoding.Latin1.GetString(span[f.Value]));
            }

            var (offset, length) = head.PathAndQuery.GetOffsetAndLength(span.Length);
            return new RequestSnapshot(Encoding.ASCII.GetString(span[head.Method]), length == 0 ? "/" : Encoding.ASCII.GetString(span.Slice(offset, length)), host, fields);
        }

        public string? Header(string name) => Fields.FirstOrDefault(f => f.Name.Equals(name, StringComparison.OrdinalIgnoreCase)).Value;

        public string? Cookie(string name)
        {
            foreach (var (field, value) in Fields)
            {
                if (!field.Equals("Cookie", StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                foreach (var pair in value.Split(';'))
                {
                    var eq = pair.IndexOf('=', StringComparison.Ordinal);
                    if (eq > 0 && pair[..eq].Trim() == name)
                    {
                        return pair[(eq + 1)..].Trim();
                    }
                }
            }

            return null;
        }
    }
}

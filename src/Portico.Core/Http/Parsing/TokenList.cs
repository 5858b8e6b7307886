namespace Portico.Http.Parsing;

/// <summary>
/// Walks a comma-separated field value (RFC 9110 §5.6.1 <c>#element</c>) without allocating: each element comes
/// back with its OWS trimmed; empty elements come back empty so that each caller decides about them.
/// </summary>
internal ref struct TokenList
{
    private ReadOnlySpan<byte> _rest;
    private bool _done;

    public TokenList(ReadOnlySpan<byte> value)
    {
        _rest = value;
        _done = false;
    }

    public bool Next(out ReadOnlySpan<byte> element)
    {
        if (_done)
        {
            element = default;
            return false;
        }

        var comma = _rest.IndexOf((byte)',');
        if (comma < 0)
        {
            element = Ascii.TrimOws(_rest);
            _done = true;
        }
        else
        {
            element = Ascii.TrimOws(_rest[..comma]);
            _rest = _rest[(comma + 1)..];
        }

        return true;
    }
}

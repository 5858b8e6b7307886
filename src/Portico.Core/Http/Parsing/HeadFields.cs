namespace Portico.Http.Parsing;

/// <summary>Lookups over the parsed fields of a head, shared by <see cref="RequestHead"/> and <see cref="ResponseHead"/>.</summary>
internal static class HeadFields
{
    public static Range? Find(ReadOnlySpan<HeaderField> fields, ReadOnlySpan<byte> buffer, FieldKind kind)
    {
        _ = buffer; // kept in the signature so the kind and name lookups read alike
        foreach (ref readonly var f in fields)
        {
            if (f.Kind == kind)
            {
                return f.Value;
            }
        }

        return null;
    }

    public static Range? Find(ReadOnlySpan<HeaderField> fields, ReadOnlySpan<byte> buffer, ReadOnlySpan<byte> name)
    {
        foreach (ref readonly var f in fields)
        {
            if (Ascii.EqualsIgnoreCase(buffer[f.Name], name))
            {
                return f.Value;
            }
        }

        return null;
    }

    public static bool TryGetCookie(ReadOnlySpan<HeaderField> fields, ReadOnlySpan<byte> buffer, ReadOnlySpan<byte> name, out Range value)
    {
        foreach (ref readonly var f in fields)
        {
            if (f.Kind != FieldKind.Cookie)
            {
                continue;
            }

            var (start, _) = f.Value.GetOffsetAndLength(buffer.Length);
            var rest = buffer[f.Value];
            var offset = start;
            while (!rest.IsEmpty)
            {
                var semicolon = rest.IndexOf((byte)';');
                var pair = semicolon < 0 ? rest : rest[..semicolon];
                var lead = 0;
                while (lead < pair.Length && Ascii.IsOws(pair[lead]))
                {
                    lead++;
                }

                var eq = pair.IndexOf((byte)'=');
                if (eq > lead && pair[lead..eq].TrimEnd((byte)' ').SequenceEqual(name))
                {
                    var v = Ascii.TrimOws(pair[(eq + 1)..]);
                    var vStart = offset + eq + 1;
                    while (vStart < offset + pair.Length && Ascii.IsOws(buffer[vStart]))
                    {
                        vStart++;
                    }

                    value = new Range(vStart, vStart + v.Length);
                    return true;
                }

                if (semicolon < 0)
                {
                    break;
                }

                rest = rest[(semicolon + 1)..];
                offset += semicolon + 1;
            }
        }

        value = default;
        return false;
    }
}

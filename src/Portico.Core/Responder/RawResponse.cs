namespace Portico.Responder;

/// <summary>
/// A <c>respondwith</c> target's value. NetScaler operators write a whole response
/// (<c>"HTTP/1.1 200 OK\r\n\r\nbody"</c>); Portico reads its status line and fields strictly and writes the
/// framing itself, so the client never sees a response whose length disagrees with its body. A value that does not
/// start with <c>HTTP/</c> is a body, sent with <c>-responseStatusCode</c> (default 200).
/// </summary>
internal static class RawResponse
{
    public static ResponderDecision Decide(string value, int? status, string? reason)
    {
        if (!value.StartsWith("HTTP/", StringComparison.Ordinal))
        {
            return new ResponderDecision(ResponderVerdict.Respond, status ?? 200, reason, Body: value, ContentType: "text/plain; charset=utf-8");
        }

        var end = value.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var head = end < 0 ? value : value[..end];
        var body = end < 0 ? "" : value[(end + 4)..];
        var lines = head.Split("\r\n");
        var statusLine = lines[0].Split(' ', 3);
        if (statusLine.Length < 2 || !int.TryParse(statusLine[1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var code)
            || code is < 200 or > 599)
        {
            // A target the operator got wrong is answered the way NetScaler refuses to send it: not at all half-formed.
            return new ResponderDecision(ResponderVerdict.Respond, 500, "Internal Server Error", Body: "respondwith: the target is not an HTTP response\n",
                ContentType: "text/plain");
        }

        var fields = new List<(string, string)>();
        string? type = null;
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0 || line.Any(c => c is '\r' or '\n' or '\0'))
            {
                continue;
            }

            var name = line[..colon].Trim();
            var fieldValue = line[(colon + 1)..].Trim();
            if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase) || name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase)
                || name.Equals("Connection", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            if (name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
            {
                type = fieldValue;
                continue;
            }

            fields.Add((name, fieldValue));
        }

        return new ResponderDecision(ResponderVerdict.Respond, status ?? code, reason ?? (statusLine.Length > 2 ? statusLine[2] : null), Body: body, ContentType: type)
        {
            Fields = fields,
        };
    }
}

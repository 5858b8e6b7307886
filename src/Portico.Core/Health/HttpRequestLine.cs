namespace Portico.Health;

/// <summary>
/// The request of an HTTP or HTTP-ECV monitor as the operator writes it (<c>GET /health</c>, as NetScaler's
/// <c>-httpRequest</c>), completed into an HTTP/1.1 request: the version, a Host header, custom headers,
/// and <c>Connection: close</c>.
/// </summary>
internal static class HttpRequestLine
{
    /// <summary>What is wrong with the request line, or null when it is a method and a target.</summary>
    public static string? Problem(string line)
    {
        var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length is < 2 or > 3)
        {
            return "expected a method and a path, like \"GET /health\"";
        }

        if (!parts[0].All(char.IsAsciiLetterUpper))
        {
            return $"'{parts[0]}' is not an HTTP method; expected one in capitals, like GET or HEAD";
        }

        if (!(parts[1].StartsWith('/') || parts[1] == "*") || parts[1].Any(c => c < 0x21 || c > 0x7e))
        {
            return $"'{parts[1]}' is not a request path; expected one starting with /, like /health";
        }

        return parts.Length == 3 && !parts[2].StartsWith("HTTP/1.", StringComparison.Ordinal)
            ? $"'{parts[2]}' is not an HTTP/1.x version; leave it out and Portico sends HTTP/1.1"
            : null;
    }

    /// <summary>The bytes sent: <c>GET /health HTTP/1.1</c>, Host, User-Agent, custom headers, Connection: close.</summary>
    public static byte[] Build(string line, string host, string? customHeaders)
    {
        var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var version = parts.Length == 3 ? parts[2] : "HTTP/1.1";
        var headers = customHeaders is null ? "" : EcvText.Decode(customHeaders).TrimEnd('\r', '\n') + "\r\n";
        var hasHost = headers.Contains("host:", StringComparison.OrdinalIgnoreCase);
        var text = $"{parts[0]} {parts[1]} {version}\r\n{(hasHost ? "" : $"Host: {host}\r\n")}User-Agent: Portico-monitor\r\n{headers}Connection: close\r\n\r\n";
        return System.Text.Encoding.ASCII.GetBytes(text);
    }
}

using System.Net;
using Portico.Policies.Expressions;

namespace Portico.Core.Tests.Policies.Expressions;

/// <summary>A request as the engine would present it to an expression: fields as a client sent them.</summary>
internal sealed record RequestView(string Method = "GET", string Target = "/", string? Host = "www.example.com") : IPolicyRequest
{
    public Dictionary<string, string> Headers { get; init; } = new(StringComparer.OrdinalIgnoreCase);

    public Dictionary<string, string> ResponseHeaders { get; init; } = new(StringComparer.OrdinalIgnoreCase);

    public IPAddress ClientIp { get; init; } = IPAddress.Parse("192.0.2.10");

    public IPAddress LocalIp { get; init; } = IPAddress.Loopback;

    public int LocalPort { get; init; } = 80;

    public bool IsSsl { get; init; }

    public bool IsValid { get; init; } = true;

    public int ResponseStatus { get; init; }

    public string? Header(string name) => Headers.GetValueOrDefault(name);

    public string? Cookie(string name) =>
        Headers.GetValueOrDefault("Cookie")?.Split(';').Select(c => c.Trim().Split('=', 2)).FirstOrDefault(kv => kv[0] == name) is { Length: 2 } kv ? kv[1] : null;

    public string? ResponseHeader(string name) => ResponseHeaders.GetValueOrDefault(name);
}

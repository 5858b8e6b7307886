using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Portico.Admin.Nitro;

/// <summary>
/// The strict reading of a NITRO request, before anything acts on it: the raw path checked for traversal
/// (no <c>..</c>, no backslash, no encoded byte but a blank, so <c>..%2f</c> and <c>%252e</c> never reach a
/// name), exactly <c>/nitro/v1/config|stat/TYPE[/NAME]</c>, and a body bounded in bytes and JSON depth.
/// </summary>
public sealed record NitroRequest(string Api, string Type, string? Name)
{
    /// <summary>The largest body read: a bulk array of a few thousand objects fits.</summary>
    public const int MaxBodyBytes = 1024 * 1024;

    /// <summary>NITRO bodies are an object of objects or arrays of objects: depth 4 at most, so 8 is generous.</summary>
    public const int MaxDepth = 8;

    public static NitroRequest Parse(HttpContext ctx)
    {
        var raw = ctx.Features.Get<IHttpRequestFeature>()?.RawTarget ?? ctx.Request.Path.Value ?? "";
        var path = raw.Split('?', 2)[0];
        var withoutBlanks = path.Replace("%20", "", StringComparison.Ordinal);
        if (withoutBlanks.Contains('%', StringComparison.Ordinal) || path.Contains('\\', StringComparison.Ordinal)
            || path.Split('/').Any(s => s is ".." or "."))
        {
            throw NitroException.BadRequest("Invalid resource path: encoded characters other than a blank, '.' and '..' segments and backslashes are refused");
        }

        var segments = path.Split('/', StringSplitOptions.None);

        // "", "nitro", "v1", api, type[, name]
        if (segments.Length is < 5 or > 6 || segments[0] != "" || segments[1] != "nitro" || segments[2] != "v1" || segments[4].Length == 0)
        {
            throw NitroException.BadRequest("Invalid resource path: expected /nitro/v1/config/TYPE[/NAME] or /nitro/v1/stat/TYPE[/NAME]");
        }

        if (segments[3] is not ("config" or "stat"))
        {
            throw NitroException.BadRequest($"Invalid API [{segments[3]}]: expected config or stat");
        }

        var name = segments.Length == 6 && segments[5].Length > 0 ? Uri.UnescapeDataString(segments[5]) : null;
        return new NitroRequest(segments[3], segments[4].ToLowerInvariant(), name);
    }

    /// <summary>The body as a JSON object, or 413 past <see cref="MaxBodyBytes"/>, or a NITRO error for bad JSON.</summary>
    public static async Task<JsonObject> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBodyBytes)
        {
            throw new NitroException(413, 1, $"Request body larger than {MaxBodyBytes} bytes");
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                throw new NitroException(413, 1, $"Request body larger than {MaxBodyBytes} bytes");
            }

            buffer.Write(chunk, 0, read);
        }

        if (buffer.Length == 0)
        {
            throw NitroException.BadRequest("Empty request body: expected a JSON object such as {\"lbvserver\":{...}}");
        }

        try
        {
            return JsonNode.Parse(buffer.ToArray(), documentOptions: new JsonDocumentOptions { MaxDepth = MaxDepth }) as JsonObject
                ?? throw NitroException.BadRequest("The request body must be a JSON object");
        }
        catch (JsonException e)
        {
            throw NitroException.BadRequest($"Invalid JSON in the request body: {e.Message}");
        }
    }
}

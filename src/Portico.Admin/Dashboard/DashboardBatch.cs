using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Portico.Admin.Nitro;
using Portico.Audit;
using Portico.Engine;
using Portico.SystemUsers;

namespace Portico.Admin.Dashboard;

/// <summary>
/// <c>POST /gui/api/batch</c>: the config editor's text, applied as one batch through the store, all or nothing,
/// exactly as <c>portico cli -f</c> applies a file. Every line is first judged by the user's command policy (a
/// line it refuses refuses the batch, naming the line); the answer gives each error at its line and column.
/// Every batch goes to the audit trail with who sent it and from where.
/// </summary>
internal sealed class DashboardBatch(PorticoEngine engine, AuditLog audit)
{
    /// <summary>As large as a NITRO body: a config of several thousand lines fits.</summary>
    public const int MaxBytes = NitroRequest.MaxBodyBytes;

    public async Task<(int Status, JsonObject Body)> ApplyAsync(HttpContext ctx, DashboardUser user)
    {
        if (await ReadAsync(ctx.Request, ctx.RequestAborted).ConfigureAwait(false) is not { } text)
        {
            return (413, Refused(0, $"the batch is larger than {MaxBytes} bytes"));
        }

        var lines = text.ReplaceLineEndings("\n").Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length > 0 && !line.StartsWith('#') && !user.Allows(line))
            {
                return (403, Refused(i + 1, $"not authorized to execute this command [{AuditLog.Mask(line)}] (policy {(user.User.Policy is { } p ? CommandPolicies.Word(p) : "none")})"));
            }
        }

        var result = await engine.ApplyAsync(text, DashboardQueries.Source, ctx.RequestAborted).ConfigureAwait(false);
        var error = result.Errors.Count > 0 ? string.Join("; ", result.Errors) : null;
        audit.RecordBatch(user.User.Name, "dashboard " + NitroAuthentication.Address(ctx), text, error);
        var body = new JsonObject
        {
            ["applied"] = result.Applied,
            ["commands"] = result.CommandCount,
            ["errors"] = new JsonArray([.. result.Errors.Select(e => new JsonObject
            {
                ["line"] = e.Line,
                ["column"] = e.Column,
                ["word"] = e.Word,
                ["message"] = e.Message,
                ["text"] = e.ToString(),
            })]),
            ["unsupported"] = new JsonArray([.. result.Unsupported.Select(u => new JsonObject { ["line"] = u.Line, ["reason"] = u.Reason })]),
            ["notes"] = new JsonArray([.. result.Notes.Select(n => JsonValue.Create(n.ToString()))]),
            ["output"] = new JsonArray([.. result.Output.Select(o => JsonValue.Create(o))]),
        };
        return (result.Applied ? 200 : 400, body);
    }

    private static JsonObject Refused(int line, string message) => new()
    {
        ["applied"] = false,
        ["errors"] = new JsonArray(new JsonObject { ["line"] = line, ["column"] = 0, ["word"] = "", ["message"] = message, ["text"] = line > 0 ? $"line {line}: {message}" : message }),
    };

    /// <summary>The body as UTF-8 text, or null past <see cref="MaxBytes"/> (read in chunks, never trusting Content-Length alone).</summary>
    private static async Task<string?> ReadAsync(HttpRequest request, CancellationToken ct)
    {
        if (request.ContentLength > MaxBytes)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > MaxBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}

using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Portico.Capture;

namespace Portico.Admin.Dashboard;

/// <summary>
/// <c>GET /gui/api/capture/TRACE/FILE</c>: one file of a capture, as an attachment. The name is never a path: it
/// must be exactly the file name of one of the files the named capture wrote (so nothing else on the disk can be
/// asked for). Captures hold traffic, decrypted with <c>-mode SSLPLAIN</c>: only who may start one may download it.
/// </summary>
internal sealed class DashboardCaptures(TraceManager? traces = null)
{
    /// <returns>The status and error body, or a null body once the file was sent.</returns>
    public async Task<(int Status, JsonObject? Body)> SendAsync(HttpContext ctx, DashboardUser user, string rest)
    {
        if (!user.Allows("start nstrace"))
        {
            return (403, DashboardSite.Error("Not authorized to download captures: it takes a policy that may start them (superuser)"));
        }

        var parts = rest.Split('/');
        if (parts.Length != 2)
        {
            return (404, DashboardSite.Error("Expected /gui/api/capture/TRACE/FILE"));
        }

        var session = traces?.List().FirstOrDefault(s => s.Name == parts[0]);
        var path = session?.Files.Paths.FirstOrDefault(p => Path.GetFileName(p) == parts[1]);
        if (path is null || !File.Exists(path))
        {
            return (404, DashboardSite.Error($"No file [{parts[1]}] in capture [{parts[0]}]"));
        }

        ctx.Response.ContentType = "application/vnd.tcpdump.pcap";
        ctx.Response.Headers.ContentDisposition = $"attachment; filename=\"{parts[1]}\"";
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        ctx.Response.ContentLength = file.Length;
        await file.CopyToAsync(ctx.Response.Body, ctx.RequestAborted).ConfigureAwait(false);
        return (200, null);
    }
}

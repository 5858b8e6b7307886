using System.Text.Json;
using System.Text.Json.Nodes;
using Portico.Admin.Nitro;
using Portico.Configuration;
using Portico.Engine;

namespace Portico.Admin.Dashboard;

/// <summary>
/// What the dashboard shows comes from the same <c>show</c> commands the CLI and NITRO run, through the same
/// store and judged by the same command policy: one implementation of every view, serialised as NITRO serialises
/// its stat answers. A query the user's policy does not allow, or that fails, gives null.
/// </summary>
internal sealed class DashboardQueries(PorticoEngine engine)
{
    public const string Source = "dashboard";

    public async Task<T?> RunAsync<T>(DashboardUser user, string line, CancellationToken cancellationToken) where T : class, IQueryResult
    {
        if (!user.Allows(line))
        {
            return null;
        }

        var result = await engine.ApplyAsync(line, Source, cancellationToken).ConfigureAwait(false);
        return result.Applied && result.Results.Count == 1 ? result.Results[0] as T : null;
    }

    public async Task<JsonNode?> JsonAsync(DashboardUser user, string line, CancellationToken cancellationToken) =>
        await RunAsync<IQueryResult>(user, line, cancellationToken).ConfigureAwait(false) is { } r ? ToJson(r) : null;

    public static JsonNode? ToJson(object value) => JsonSerializer.SerializeToNode(value, value.GetType(), NitroJson.Options);
}

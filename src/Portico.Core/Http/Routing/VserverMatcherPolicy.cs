using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Matching;
using Portico.Http.Pipeline;
using Yarp.ReverseProxy.Model;

namespace Portico.Http.Routing;

/// <summary>
/// Keeps each vserver's YARP route to requests that arrived on that vserver's listener: every route
/// matches every path, and this policy drops the candidates whose route is not the connection's vserver.
/// </summary>
internal sealed class VserverMatcherPolicy : MatcherPolicy, IEndpointSelectorPolicy
{
    // After YARP's own policies; the order only matters among policies that narrow the same candidates.
    public override int Order => 1000;

    public bool AppliesToEndpoints(IReadOnlyList<Endpoint> endpoints) =>
        endpoints.Any(e => e.Metadata.GetMetadata<RouteModel>() is not null);

    public Task ApplyAsync(HttpContext httpContext, CandidateSet candidates)
    {
        var vserver = httpContext.Features.Get<HttpRequestState>()?.Vserver.Name;
        for (var i = 0; i < candidates.Count; i++)
        {
            var route = candidates[i].Endpoint.Metadata.GetMetadata<RouteModel>();
            if (route is not null && !string.Equals(route.Config.RouteId, vserver, StringComparison.Ordinal))
            {
                candidates.SetValidity(i, false);
            }
        }

        return Task.CompletedTask;
    }
}

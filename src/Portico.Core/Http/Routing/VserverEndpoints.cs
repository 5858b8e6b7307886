using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Portico.Http.Pipeline;
using Yarp.ReverseProxy.Model;

namespace Portico.Http.Routing;

/// <summary>
/// Gives each HTTP/2 request the YARP endpoint of its vserver's route before routing runs, so routing skips matching:
/// every route matches every path, and matching them all then dropping all but one (<see cref="VserverMatcherPolicy"/>)
/// costs per request in proportion to the number of vservers, which a cs vserver over many lb vservers makes large.
/// The name lookup is one dictionary read, rebuilt when YARP publishes new endpoints. A vserver whose route is not
/// published yet (a config change in flight) goes through matching as before.
/// </summary>
internal sealed class VserverEndpoints(EndpointDataSource source)
{
    private volatile ByName? _current;

    public Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        if (context.Features.Get<HttpRequestState>() is { } state && Of(state.Vserver.Name) is { } endpoint)
        {
            context.SetEndpoint(endpoint);
        }

        return next(context);
    }

    private Endpoint? Of(string vserver)
    {
        var endpoints = source.Endpoints;
        var current = _current;
        if (current is null || !ReferenceEquals(current.Endpoints, endpoints))
        {
            _current = current = new ByName(endpoints);
        }

        return current.Routes.GetValueOrDefault(vserver);
    }

    private sealed class ByName(IReadOnlyList<Endpoint> endpoints)
    {
        public IReadOnlyList<Endpoint> Endpoints { get; } = endpoints;

        public Dictionary<string, Endpoint> Routes { get; } = endpoints
            .Select(e => (Endpoint: e, Route: e.Metadata.GetMetadata<RouteModel>()))
            .Where(e => e.Route is not null)
            .GroupBy(e => e.Route!.Config.RouteId, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First().Endpoint, StringComparer.Ordinal);
    }
}

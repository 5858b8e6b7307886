using Microsoft.Extensions.DependencyInjection;
using Portico.Counters;
using Portico.Counters.History;

namespace Portico.Upstream;

/// <summary>Registers server-connection setup shared by L4 and L7: the connector, source-port reporting, its counters and watch.</summary>
public static class UpstreamServiceCollectionExtensions
{
    public static IServiceCollection AddPorticoUpstream(this IServiceCollection services)
    {
        services.AddSingleton<BackendConnector>();
        services.AddSingleton<SourcePortReporter>();
        services.AddSingleton<SourcePortCounterSet>();
        services.AddSingleton<ICounterSet>(sp => sp.GetRequiredService<SourcePortCounterSet>());
        services.AddSingleton<SourcePortWatch>();
        services.AddSingleton<ISampleWatch>(sp => sp.GetRequiredService<SourcePortWatch>());
        return services;
    }
}

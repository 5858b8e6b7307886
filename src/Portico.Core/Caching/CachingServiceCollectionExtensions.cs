using Microsoft.Extensions.DependencyInjection;
using Portico.Configuration;

namespace Portico.Caching;

public static class CachingServiceCollectionExtensions
{
    /// <summary>The integrated cache: its commands, its policy kind, the compiled banks and the store the HTTP engine uses.</summary>
    public static IServiceCollection AddPorticoCaching(this IServiceCollection services)
    {
        services.AddSingleton<CacheRuntime>();
        services.AddSingleton<HttpDateClock>();
        services.AddSingleton<IConfigObserver>(sp => sp.GetRequiredService<CacheRuntime>());
        services.AddSingleton<Policies.IPolicyKind, CachePolicyKind>();
        services.AddSingleton<ICommandModule, Commands.CacheCommands>();
        services.AddSingleton<Counters.ICounterSet, CacheCounterSet>();
        return services;
    }
}

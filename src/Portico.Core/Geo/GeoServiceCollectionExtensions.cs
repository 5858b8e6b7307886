using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.DependencyInjection;
using Portico.CommandLanguage;
using Portico.Configuration;
using Portico.Geo.Commands;

namespace Portico.Geo;

/// <summary>Registers GeoIP: the database cache and <c>set|unset|show ns geoip</c>.</summary>
public static class GeoServiceCollectionExtensions
{
    public static IServiceCollection AddPorticoGeo(this IServiceCollection services)
    {
        services.TryAddSingleton<GeoDatabases>();
        services.AddSingleton<ICommandModule, GeoCommands>();
        return services;
    }
}

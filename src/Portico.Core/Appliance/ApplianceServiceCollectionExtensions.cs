using Microsoft.Extensions.DependencyInjection;
using Portico.Appliance.Commands;
using Portico.Configuration;

namespace Portico.Appliance;

/// <summary>Registers the appliance's own objects: <c>ns ip</c>, <c>ns param</c>, <c>ns mode</c>; <c>show ns version|config|hardware|feature|license</c>.</summary>
public static class ApplianceServiceCollectionExtensions
{
    public static IServiceCollection AddPorticoAppliance(this IServiceCollection services) =>
        services.AddSingleton<ICommandModule, NsCommands>()
            .AddSingleton<ICommandModule, NsSystemCommands>();
}

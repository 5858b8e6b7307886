using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.DependencyInjection;
using Portico.ClientIp.Commands;
using Portico.CommandLanguage;
using Portico.Configuration;
using Portico.Counters;

namespace Portico.ClientIp;

/// <summary>Registers the client-IP concern: net profiles, the PROXY protocol bounds, its counters.</summary>
public static class ClientIpServiceCollectionExtensions
{
    public static IServiceCollection AddPorticoClientIp(this IServiceCollection services)
    {
        services.AddSingleton<ICommandModule, NetProfileCommands>();
        services.TryAddSingleton(new ClientIpOptions());
        services.AddSingleton<ICounterSet, ClientIpCounterSet>();
        return services;
    }
}

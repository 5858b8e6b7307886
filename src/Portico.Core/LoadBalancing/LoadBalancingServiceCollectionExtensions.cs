using Microsoft.Extensions.DependencyInjection;
using Portico.Configuration;
using Portico.LoadBalancing.Commands;

namespace Portico.LoadBalancing;

/// <summary>Registers the commands of the load-balancing objects: server, service, service group, lb vserver.</summary>
public static class LoadBalancingServiceCollectionExtensions
{
    public static IServiceCollection AddPorticoLoadBalancing(this IServiceCollection services)
    {
        services.AddSingleton<ICommandModule, ServerCommands>();
        services.AddSingleton<ICommandModule, ServiceCommands>();
        services.AddSingleton<ICommandModule, ServiceGroupCommands>();
        services.AddSingleton<ICommandModule, LbVserverCommands>();
        return services;
    }
}

using Microsoft.Extensions.DependencyInjection;
using Portico.Cluster.Commands;
using Portico.Configuration;

namespace Portico.Cluster;

/// <summary>
/// Registers the cluster: <c>show cluster</c> always (it says when the node is not in one), and with
/// <c>portico run --cluster</c> this node's membership and its commit policy.
/// </summary>
public static class ClusterServiceCollectionExtensions
{
    public static IServiceCollection AddPorticoClusterCommands(this IServiceCollection services) =>
        services.AddSingleton<ICommandModule, ClusterCommands>();

    public static IServiceCollection AddPorticoCluster(this IServiceCollection services, ClusterOptions options)
    {
        services.AddSingleton(options);
        services.AddSingleton<ClusterNode>();
        services.AddHostedService(sp => sp.GetRequiredService<ClusterNode>());
        return services;
    }
}

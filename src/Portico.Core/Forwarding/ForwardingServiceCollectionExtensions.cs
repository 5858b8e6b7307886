using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Portico.Forwarding.Tcp;
using Portico.Forwarding.Udp;
using Portico.Listeners;
using Portico.Relaying;
using Portico.Upstream;

namespace Portico.Forwarding;

/// <summary>Registers the L4 data paths: the TCP full proxy (connection table, forwarder, idle sweep) and UDP.</summary>
public static class ForwardingServiceCollectionExtensions
{
    /// <remarks>
    /// Call before the other data paths: kinds of listener reconcile in the order they are registered, and the
    /// first to take an endpoint keeps it, so an L4 TCP vserver keeps its address against an HTTP one.
    /// </remarks>
    public static IServiceCollection AddPorticoForwarding(this IServiceCollection services)
    {
        services.TryAddSingleton(new RelayOptions());
        services.AddSingleton<ConnectionTable>();
        services.AddSingleton<IEstablishedConnections>(sp => sp.GetRequiredService<ConnectionTable>());
        services.AddSingleton<IServerConnections>(sp => sp.GetRequiredService<ConnectionTable>());
        services.AddSingleton<TcpForwarder>();
        services.AddSingleton<TcpListeners>();
        services.AddSingleton<IVserverListeners>(sp => sp.GetRequiredService<TcpListeners>());
        services.AddSingleton<UdpSessionPolicies>();
        services.AddSingleton<UdpListeners>();
        services.AddSingleton<IVserverListeners>(sp => sp.GetRequiredService<UdpListeners>());
        services.AddSingleton<IEstablishedConnections>(sp => sp.GetRequiredService<UdpListeners>());
        services.AddSingleton<IdleSweeper>();
        services.AddHostedService(sp => sp.GetRequiredService<IdleSweeper>());
        return services;
    }
}

using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Portico.Acl;
using Portico.Appliance.Commands;
using Portico.Capture;
using Portico.ClientIp;
using Portico.CommandLanguage;
using Portico.Configuration.Commands;
using Portico.Configuration;
using Portico.Counters;
using Portico.Dsr;
using Portico.Events;
using Portico.Forwarding;
using Portico.Geo;
using Portico.Health;
using Portico.Http;
using Portico.Listeners;
using Portico.LoadBalancing.Commands;
using Portico.Persistence;
using Portico.Profiling;
using Portico.Runtime;
using Portico.Upstream;

namespace Portico.Engine;

/// <summary>Registers the engine and its concerns; each concern adds its command module here.</summary>
public static class PorticoServiceCollectionExtensions
{
    public static IServiceCollection AddPorticoCore(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<ICommandModule, ServerCommands>();
        services.AddSingleton<ICommandModule, ServiceCommands>();
        services.AddSingleton<ICommandModule, ServiceGroupCommands>();
        services.AddSingleton<ICommandModule, LbVserverCommands>();
        services.AddSingleton<ICommandModule, NsCommands>();
        services.AddSingleton<ICommandModule, SystemCommands>();
        services.AddSingleton<CommandRegistry>();
        services.AddSingleton<ICommandCatalog>(sp => sp.GetRequiredService<CommandRegistry>());
        services.AddSingleton<CommandParser>();
        services.AddSingleton<ConfigStore>();
        services.TryAddSingleton(new RelayOptions());
        services.AddSingleton<BackendConnector>();
        services.AddSingleton<ConnectionTable>();
        services.AddSingleton<IEstablishedConnections>(sp => sp.GetRequiredService<ConnectionTable>());
        services.AddSingleton<TcpForwarder>();
        services.AddSingleton<Forwarding.Udp.UdpSessionPolicies>();
        services.AddSingleton<ListenStateEvents>();
        services.AddSingleton<ListenerManager>();
        services.AddSingleton<IEstablishedConnections>(sp => sp.GetRequiredService<ListenerManager>());
        services.AddSingleton<PorticoEngine>();
        services.AddSingleton<IRuntimeSource>(sp => sp.GetRequiredService<PorticoEngine>());
        services.AddSingleton<IdleSweeper>();
        services.AddHostedService(sp => sp.GetRequiredService<IdleSweeper>());
        services.AddPorticoPersistence();
        services.AddPorticoHttp();
        services.AddPorticoEvents();
        services.AddPorticoHealth();
        services.AddPorticoCounters();
        services.AddPorticoProfiling();
        services.AddPorticoGeo();
        services.AddPorticoAcl();
        services.AddPorticoClientIp();
        services.AddPorticoDsr();
        services.AddPorticoCapture();
        return services;
    }
}

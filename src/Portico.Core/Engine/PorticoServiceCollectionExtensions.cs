using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Portico.Acl;
using Portico.Appliance;
using Portico.Audit;
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
using Portico.Http.Listening;
using Portico.Listeners;
using Portico.LoadBalancing;
using Portico.Persistence;
using Portico.Profiling;
using Portico.Runtime;
using Portico.Syslog;
using Portico.SystemUsers;
using Portico.Upstream;

namespace Portico.Engine;

/// <summary>Registers the engine and every concern, each through its own <c>Add&lt;Concern&gt;()</c>.</summary>
public static class PorticoServiceCollectionExtensions
{
    public static IServiceCollection AddPorticoCore(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddPorticoLoadBalancing();
        services.AddPorticoAppliance();
        services.AddSingleton<ICommandModule, SystemCommands>();
        services.AddSingleton<CommandRegistry>();
        services.AddSingleton<ICommandCatalog>(sp => sp.GetRequiredService<CommandRegistry>());
        services.AddSingleton(sp => sp.GetRequiredService<CommandRegistry>().Sections);
        services.AddSingleton<CommandParser>();
        services.AddSingleton<ConfigStore>();
        services.AddSingleton<SaveTracker>();
        services.AddSingleton<IConfigObserver>(sp => sp.GetRequiredService<SaveTracker>());
        services.AddPorticoUpstream();
        services.AddSingleton<ListenStateEvents>();
        services.AddSingleton<ListenerManager>();
        services.AddSingleton<PorticoEngine>();
        services.AddSingleton<IRuntimeSource>(sp => sp.GetRequiredService<PorticoEngine>());
        services.AddPorticoForwarding();
        services.TryAddSingleton(sp => new HttpListenerOptions(sp.GetService<PorticoStartup>()?.DrainTimeout ?? HttpListenerOptions.DefaultDrainTimeout));
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
        services.AddPorticoSyslog();
        services.AddPorticoSystemUsers();
        services.AddPorticoAudit();
        Policies.PoliciesServiceCollectionExtensions.AddPorticoPolicies(services);
        ContentSwitching.ContentSwitchingServiceCollectionExtensions.AddPorticoContentSwitching(services);
        Responder.ResponderServiceCollectionExtensions.AddPorticoResponder(services);
        Rewrite.RewriteServiceCollectionExtensions.AddPorticoRewrite(services);
        Compression.CompressionServiceCollectionExtensions.AddPorticoCompression(services);

        Caching.CachingServiceCollectionExtensions.AddPorticoCaching(services);
        HighAvailability.HaServiceCollectionExtensions.AddPorticoHighAvailability(services);
        Cluster.ClusterServiceCollectionExtensions.AddPorticoClusterCommands(services);
        return services;
    }
}

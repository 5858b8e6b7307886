using Microsoft.Extensions.DependencyInjection;
using Portico.CommandLanguage;
using Portico.Configuration;
using Portico.Profiling.Commands;

namespace Portico.Profiling;

/// <summary>Registers the CPU profile trigger and <c>set|show ns profiler</c> (needs the Counters concern).</summary>
public static class ProfilingServiceCollectionExtensions
{
    public static IServiceCollection AddPorticoProfiling(this IServiceCollection services)
    {
        services.AddSingleton<ICommandModule, ProfilerCommands>();
        services.AddSingleton<ProfilerTrigger>();
        services.AddHostedService(sp => sp.GetRequiredService<ProfilerTrigger>());
        return services;
    }
}

using Microsoft.Extensions.DependencyInjection;
using Portico.CommandLanguage;

namespace Portico.Diagnostics;

/// <summary>Registers the CPU profile trigger and <c>set|show ns profiler</c> (needs the Counters concern).</summary>
public static class DiagnosticsServiceCollectionExtensions
{
    public static IServiceCollection AddPorticoDiagnostics(this IServiceCollection services)
    {
        services.AddSingleton<ICommandModule, ProfilerCommands>();
        services.AddSingleton<ProfilerTrigger>();
        services.AddHostedService(sp => sp.GetRequiredService<ProfilerTrigger>());
        return services;
    }
}

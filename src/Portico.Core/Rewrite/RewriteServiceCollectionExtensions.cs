using Microsoft.Extensions.DependencyInjection;
using Portico.Configuration;

namespace Portico.Rewrite;

public static class RewriteServiceCollectionExtensions
{
    /// <summary>Rewrite actions and policies: their commands, and the compiled banks the HTTP engine asks.</summary>
    public static IServiceCollection AddPorticoRewrite(this IServiceCollection services)
    {
        services.AddSingleton<RewriteRuntime>();
        services.AddSingleton<IConfigObserver>(sp => sp.GetRequiredService<RewriteRuntime>());
        services.AddSingleton<Policies.IPolicyKind, RewritePolicyKind>();
        services.AddSingleton<ICommandModule, Commands.RewriteCommands>();
        services.AddSingleton<Counters.ICounterSet, RewriteCounterSet>();
        return services;
    }
}

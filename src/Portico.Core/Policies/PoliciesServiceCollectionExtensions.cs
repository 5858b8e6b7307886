using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Portico.Configuration;

namespace Portico.Policies;

public static class PoliciesServiceCollectionExtensions
{
    /// <summary>What every kind of policy shares: expression contexts, the binding store and its commands.</summary>
    public static IServiceCollection AddPorticoPolicies(this IServiceCollection services)
    {
        services.TryAddSingleton<ExpressionContexts>();
        services.TryAddSingleton<PolicyBinds>();
        services.AddSingleton<ICommandModule, Commands.PolicyCommands>();
        return services;
    }
}

using Microsoft.Extensions.DependencyInjection;
using Portico.Configuration;
using Portico.Listeners;

namespace Portico.ContentSwitching;

public static class ContentSwitchingServiceCollectionExtensions
{
    /// <summary>cs vservers, actions and policies: their commands, and their listening vservers for the HTTP listeners.</summary>
    public static IServiceCollection AddPorticoContentSwitching(this IServiceCollection services)
    {
        services.AddSingleton<Policies.IPolicyKind, CsPolicyKind>();
        services.AddSingleton<CsListeningSource>();
        services.AddSingleton<IListeningSource>(sp => sp.GetRequiredService<CsListeningSource>());
        services.AddSingleton<ICommandModule, Commands.CsCommands>();
        services.AddSingleton<Commands.CsQueries>();
        services.AddSingleton<Counters.ICounterSet, CsCounterSet>();
        return services;
    }
}

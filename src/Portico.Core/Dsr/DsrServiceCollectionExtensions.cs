using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Portico.CommandLanguage;
using Portico.Listeners;

namespace Portico.Dsr;

/// <summary>Registers the direct server return data path and its commands.</summary>
public static class DsrServiceCollectionExtensions
{
    public static IServiceCollection AddPorticoDsr(this IServiceCollection services)
    {
        services.TryAddSingleton(new DsrOptions());
        services.AddSingleton<DsrListeners>();
        services.AddSingleton<IVserverListeners>(sp => sp.GetRequiredService<DsrListeners>());
        services.AddSingleton<IEstablishedConnections>(sp => sp.GetRequiredService<DsrListeners>());
        services.AddSingleton<ICommandModule, DsrCommands>();
        return services;
    }
}

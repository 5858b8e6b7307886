using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.DependencyInjection;
using Portico.CommandLanguage;
using Portico.Configuration;
using Portico.Dsr.Commands;
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

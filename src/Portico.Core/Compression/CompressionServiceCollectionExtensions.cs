using Microsoft.Extensions.DependencyInjection;
using Portico.Configuration;

namespace Portico.Compression;

public static class CompressionServiceCollectionExtensions
{
    /// <summary>Compression (NetScaler's CMP): its commands, the compiled policies and encoders' budget the HTTP engine asks.</summary>
    public static IServiceCollection AddPorticoCompression(this IServiceCollection services)
    {
        services.AddSingleton<CmpRuntime>();
        services.AddSingleton<IConfigObserver>(sp => sp.GetRequiredService<CmpRuntime>());
        services.AddSingleton<Policies.IPolicyKind, CmpPolicyKind>();
        services.AddSingleton<ICommandModule, Commands.CmpCommands>();
        services.AddSingleton<Counters.ICounterSet, CmpCounterSet>();
        return services;
    }
}

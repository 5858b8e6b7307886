using Microsoft.Extensions.DependencyInjection;
using Portico.Configuration;

namespace Portico.Responder;

public static class ResponderServiceCollectionExtensions
{
    /// <summary>Responder actions, policies and pages: their commands, and the compiled banks the HTTP engine asks.</summary>
    public static IServiceCollection AddPorticoResponder(this IServiceCollection services)
    {
        services.AddSingleton<ResponderRuntime>();
        services.AddSingleton<IConfigObserver>(sp => sp.GetRequiredService<ResponderRuntime>());
        services.AddSingleton<Policies.IPolicyKind, ResponderPolicyKind>();
        services.AddSingleton<ICommandModule, Commands.ResponderCommands>();
        services.AddSingleton<Counters.ICounterSet, ResponderCounterSet>();
        return services;
    }
}

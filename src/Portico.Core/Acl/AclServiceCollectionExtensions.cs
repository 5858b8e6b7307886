using Microsoft.Extensions.DependencyInjection;
using Portico.Acl.Commands;
using Portico.CommandLanguage;
using Portico.Configuration;
using Portico.Listeners;

namespace Portico.Acl;

/// <summary>Registers the ACL concern: its commands and the admission policy every data path runs.</summary>
public static class AclServiceCollectionExtensions
{
    public static IServiceCollection AddPorticoAcl(this IServiceCollection services)
    {
        services.AddSingleton<ICommandModule, SimpleAclCommands>();
        services.AddSingleton<ICommandModule, ExtendedAclCommands>();
        services.AddSingleton<AclEnforcement>();
        services.AddSingleton<AclAdmissionPolicy>();
        services.AddSingleton<IAdmissionPolicy>(sp => sp.GetRequiredService<AclAdmissionPolicy>());
        services.AddSingleton<IConfigObserver>(sp => sp.GetRequiredService<AclAdmissionPolicy>());
        services.AddSingleton<Counters.ICounterSet, AclCounterSet>();
        services.AddHostedService<AclEvents>();
        return services;
    }
}

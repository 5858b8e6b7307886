using Microsoft.Extensions.DependencyInjection;
using Portico.Configuration;
using Portico.SystemUsers.Commands;

namespace Portico.SystemUsers;

/// <summary>Registers the <c>system user</c> commands and the authenticator the REST front end uses.</summary>
public static class SystemUsersServiceCollectionExtensions
{
    public static IServiceCollection AddPorticoSystemUsers(this IServiceCollection services)
    {
        services.AddSingleton<ICommandModule, SystemUserCommands>();
        services.AddSingleton<SystemUserAuthenticator>();
        return services;
    }
}

using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Portico.Audit.Commands;
using Portico.Configuration;

namespace Portico.Audit;

/// <summary>Registers the audit trail and <c>show audit</c>.</summary>
public static class AuditServiceCollectionExtensions
{
    public static IServiceCollection AddPorticoAudit(this IServiceCollection services)
    {
        services.TryAddSingleton<AuditLog>();
        services.AddSingleton<ICommandModule, AuditCommands>();
        return services;
    }
}

using Microsoft.Extensions.DependencyInjection;
using Portico.Configuration;
using Portico.Syslog.Commands;

namespace Portico.Syslog;

/// <summary>Registers remote syslog of events: <c>set|unset|show audit syslogParams</c> and the forwarder.</summary>
public static class SyslogServiceCollectionExtensions
{
    public static IServiceCollection AddPorticoSyslog(this IServiceCollection services)
    {
        services.AddSingleton<SyslogForwarder>();
        services.AddSingleton<IConfigObserver>(sp => sp.GetRequiredService<SyslogForwarder>());
        services.AddSingleton<ICommandModule, SyslogCommands>();
        return services;
    }
}

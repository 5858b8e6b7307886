using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.DependencyInjection;
using Portico.CommandLanguage;
using Portico.Configuration;
using Portico.Events.Commands;

namespace Portico.Events;

/// <summary>Registers the event log and <c>show ns events</c>.</summary>
public static class EventsServiceCollectionExtensions
{
    public static IServiceCollection AddPorticoEvents(this IServiceCollection services)
    {
        services.TryAddSingleton<EventLog>();
        services.AddSingleton<ICommandModule, EventCommands>();
        return services;
    }
}

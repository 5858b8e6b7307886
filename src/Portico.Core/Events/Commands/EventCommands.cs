using Portico.CommandLanguage;
using Portico.Configuration;
using Portico.Events;

namespace Portico.Events.Commands;

/// <summary><c>show ns events [-eventNo n]</c>: the event log, as NetScaler's <c>show ns events</c> lists it.</summary>
internal sealed class EventCommands : ICommandModule
{
    public void Register(CommandRegistry r) =>
        r.Query("show", "ns events", "Lists recorded events (service state changes...), oldest first")
            .Option("eventNo", Values.Int(0, long.MaxValue), "show only the events numbered after this one")
            .Keeps("detail")
            .Runs<EventLog>(log => (_, c) => new EventList(log.Since(c.Get("eventNo", 0L))));
}

using Microsoft.Extensions.Logging;
using Portico.Events;
using Portico.Runtime;

namespace Portico.Upstream;

/// <summary>
/// Counts connects refused for want of a source address or port, and tells the operator which vserver
/// and member starve and what to add: once per episode in the log and the event log, every time in the
/// counters (<c>stat lb vserver</c>, <c>stat service</c>).
/// </summary>
public sealed partial class SourcePortReporter(EventLog events, TimeProvider time, ILogger<SourcePortReporter> logger)
{
    /// <summary>
    /// A connect for a client of <paramref name="vserver"/> to <paramref name="member"/> found no source: counted on
    /// the member (the caller counts the client it refuses on the vserver).
    /// </summary>
    public void Refused(string vserver, ServiceRuntime member, SourceAddressException e)
    {
        if (e.Problem == SourceProblem.PortsExhausted)
        {
            Interlocked.Increment(ref member.Counters.SourcePortsExhausted);
        }

        if (member.ClientIp.SourcePorts.Starve(e.Detail, e.Advice, time.GetUtcNow()))
        {
            var what = e.Problem == SourceProblem.PortsExhausted ? "no free source port" : "no usable source address";
            Log.Starved(logger, vserver, member.Name, member.Endpoint.ToString(), what, e.Detail, e.Advice);
            events.Record(SourcePortEvents.Starved, member.Name, $"lb vserver {vserver}: {what} {e.Detail}; {e.Advice}");
        }
    }

    /// <summary>A connect to <paramref name="member"/> succeeded: ends a starvation episode if one was running.</summary>
    public void Connected(ServiceRuntime member)
    {
        var status = member.ClientIp.SourcePorts;
        if (status.Recover())
        {
            Log.Recovered(logger, member.Name, member.Endpoint.ToString());
            events.Record(SourcePortEvents.Recovered, member.Name, $"connects to {member.Endpoint} find source ports again");
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1000, Level = LogLevel.Warning,
            Message = "lb vserver {Vserver}: clients refused, {What} toward service {Member} ({Endpoint}) {Detail}; {Advice}")]
        public static partial void Starved(ILogger logger, string vserver, string member, string endpoint, string what, string detail, string advice);

        [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Service {Member} ({Endpoint}): connects find source ports again")]
        public static partial void Recovered(ILogger logger, string member, string endpoint);
    }
}

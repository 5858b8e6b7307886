using System.Globalization;
using System.Net;
using Portico.CommandLanguage;
using Portico.Configuration;

namespace Portico.Syslog.Commands;

/// <summary>
/// <c>set|unset|show audit syslogParams</c>: NetScaler's global syslog target, for Portico's events (service
/// UP/DOWN with the reason, out of service, primary disabled...), one RFC 5424 UDP datagram per event.
/// </summary>
internal sealed class SyslogCommands(SyslogForwarder forwarder) : ICommandModule
{
    /// <summary>NetScaler options of syslogParams Portico keeps without acting on (log levels: every event is sent).</summary>
    private static readonly string[] Kept =
    [
        "logLevel", "dateFormat", "lbVserverName", "tcp", "acl", "timeZone", "userDefinedAuditlog", "appflowExport", "lsn",
        "alg", "subscriberLog", "dns", "sslInterception", "urlFiltering", "contentInspectionLog", "protocolViolations",
        "serverDomainName", "transport", "streamAnalytics",
    ];

    private static readonly ValueParser Facility = words =>
    {
        Values.ExpectCount(words, 1, 1);
        var w = words[0].Text;
        return w.Length == 6 && w.StartsWith("LOCAL", StringComparison.OrdinalIgnoreCase) && w[5] is >= '0' and <= '7'
            ? w[5] - '0'
            : throw new ValueException(0, "expected LOCAL0 .. LOCAL7");
    };

    public void Register(CommandRegistry r)
    {
        r.Sections.Add(SyslogSections.ParamsSection, ConfigRank.Settings + 20, Write);

        r.Mutation("set", "audit syslogParams", "Sends every event to a syslog server (RFC 5424 over UDP)")
            .Option("serverIP", Values.Ip, "the syslog server's address")
            .Option("serverPort", Values.Port, "its UDP port (default 514)")
            .Option("logFacility", Facility, "LOCAL0 .. LOCAL7 (default LOCAL0)")
            .Keeps(Kept)
            .Applies((b, c) =>
            {
                var s = b.Syslog;
                var port = c.Maybe<int>("serverPort") ?? s.Port;
                if (port == 0)
                {
                    throw c.Error("serverPort", "a syslog server listens on one port: expected 1..65535");
                }

                var next = s with
                {
                    Server = c.MaybeRef<IPAddress>("serverIP") ?? s.Server,
                    Port = port,
                    Facility = c.Maybe<int>("logFacility") ?? s.Facility,
                    Kept = KeptOptions.Merge(s.Kept, c.Kept),
                };
                if (next.Server is null && (c.Has("serverPort") || c.Has("logFacility")))
                {
                    throw c.Error("'set audit syslogParams' needs -serverIP: where to send the events");
                }

                b.Syslog = next;
            });

        r.Mutation("unset", "audit syslogParams", "Stops sending events (-serverIP) or resets an option to its default")
            .Option("serverIP", Values.Flag, "stop sending events to syslog")
            .Option("serverPort", Values.Flag, "back to 514")
            .Option("logFacility", Values.Flag, "back to LOCAL0")
            .Keeps(Kept)
            .Applies((b, c) => b.Syslog = b.Syslog with
            {
                Server = c.Has("serverIP") ? null : b.Syslog.Server,
                Port = c.Has("serverPort") ? SyslogSettings.DefaultPort : b.Syslog.Port,
                Facility = c.Has("logFacility") ? 0 : b.Syslog.Facility,
                Kept = KeptOptions.Remove(b.Syslog.Kept, c.Kept),
            });

        r.Query("show", "audit syslogParams", "Shows where events are sent, and how many datagrams went")
            .Runs((ctx, _) =>
            {
                var s = ctx.Config.Syslog;
                return new SyslogParamsView(s.Server?.ToString(), s.Port, $"LOCAL{s.Facility}", forwarder.Sent, forwarder.Failed, forwarder.Dropped);
            });
    }

    /// <summary>The <c>set audit syslogParams</c> line <c>save config</c> writes.</summary>
    private static IEnumerable<string> Write(RunningConfig config)
    {
        var s = config.Syslog;
        if (s.Server is null && s.Kept.Count == 0)
        {
            yield break;
        }

        yield return "set audit syslogParams"
            + (s.Server is null ? "" : $" -serverIP {s.Server}")
            + (s.Port == SyslogSettings.DefaultPort ? "" : string.Create(CultureInfo.InvariantCulture, $" -serverPort {s.Port}"))
            + (s.Facility == 0 ? "" : string.Create(CultureInfo.InvariantCulture, $" -logFacility LOCAL{s.Facility}"))
            + string.Concat(s.Kept.Select(k => " " + k));
    }
}

/// <summary><c>show audit syslogParams</c>.</summary>
/// <param name="ServerIp">Where events go; null: remote syslog is off.</param>
internal sealed record SyslogParamsView(string? ServerIp, int ServerPort, string LogFacility, long Sent, long Failed, long Dropped) : IQueryResult
{
    public string ToText() => ServerIp is null
        ? "\tRemote syslog: off (set audit syslogParams -serverIP <address> [-serverPort 514])\n"
        : $"\tServer: {ServerIp}:{ServerPort} (UDP, RFC 5424)  Facility: {LogFacility}\n\tEvents sent: {Sent}  failed: {Failed}  dropped (queue full): {Dropped}\n";
}

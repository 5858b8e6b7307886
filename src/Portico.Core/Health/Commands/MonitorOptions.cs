using System.Globalization;
using Portico.CommandLanguage;
using Portico.Configuration;

namespace Portico.Health.Commands;

/// <summary>The options of <c>add|set lb monitor</c>, declared, read and validated in one place.</summary>
internal static class MonitorOptions
{
    /// <summary>Probing faster than this costs more than it tells; NetScaler's own floor is lower.</summary>
    public static readonly TimeSpan MinInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>NetScaler's ceiling for -interval (20940 s).</summary>
    public static readonly TimeSpan MaxInterval = TimeSpan.FromSeconds(20_940);

    /// <summary>NetScaler monitor options Portico keeps and writes back without acting on them.</summary>
    public static readonly string[] Kept =
    [
        "deviation", "units1", "LRTM", "destIP", "reverse", "alertRetries", "failureRetries", "transparent", "tos", "tosId",
        "ipTunnel", "netProfile", "sslProfile", "action", "respTimeoutThresh", "trofsCode", "trofsString", "scriptName",
        "scriptArgs", "secureArgs", "dispatcherIP", "dispatcherPort", "userName", "password", "secondaryPassword",
        "logonpointName", "lasVersion", "radKey", "radNASid", "radNASip", "radAccountType", "radFramedIP", "radAPN",
        "radMSISDN", "radAccountSession", "query", "queryType", "IPAddress", "group", "filter", "attribute", "database",
        "oracleSid", "sqlQuery", "evalRule", "mssqlProtocolVersion", "snmpOID", "snmpCommunity", "snmpThreshold",
        "snmpVersion", "metricTable", "application", "sitePath", "storename", "storedb", "storefrontacctservice",
        "storefrontcheckbackendservices", "hostName", "maxForwards", "sipMethod", "sipURI", "sipregURI", "rtspRequest",
        "originHost", "originRealm", "hostIPAddress", "vendorId", "productName", "firmwareRevision", "authApplicationId",
        "acctApplicationId", "inbandSecurityId", "supportedVendorIds", "vendorSpecificVendorId",
        "vendorSpecificAuthApplicationIds", "vendorSpecificAcctApplicationIds", "kcdAccount", "mqttClientIdentifier",
        "mqttVersion", "grpcHealthCheck", "grpcStatusCode", "grpcServiceName", "baseDN", "bindDN", "domain",
        "validateCred", "Interval", "metric", "metricThreshold", "metricWeight", "servicename", "servicegroupname", "fileName",
    ];

    private static readonly ValueParser Unit = MonitorTime.Units.Parser;

    /// <summary><c>-respCode 200 302 400-499</c>: codes and ranges of codes from 100 to 599.</summary>
    public static readonly ValueParser RespCodes = words =>
    {
        Values.ExpectCount(words, 1, 32);
        var ranges = new List<StatusRange>();
        for (var i = 0; i < words.Count; i++)
        {
            var parts = words[i].Text.Split('-');
            if (parts.Length is < 1 or > 2 || !parts.All(p => int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out _)))
            {
                throw new ValueException(i, "expected an HTTP status code or a range of them, like 200 or 200-299");
            }

            var from = int.Parse(parts[0], CultureInfo.InvariantCulture);
            var to = parts.Length == 2 ? int.Parse(parts[1], CultureInfo.InvariantCulture) : from;
            if (from is < 100 or > 599 || to is < 100 or > 599 || to < from)
            {
                throw new ValueException(i, "expected status codes from 100 to 599, a range written low-high");
            }

            ranges.Add(new StatusRange(from, to));
        }

        return ranges;
    };

    public static CommandSpecBuilder Declare(CommandSpecBuilder b) => b
        .Option("interval", MonitorTime.Parser, "time between probes: a number, then SEC (default), MSEC or MIN; default 5 s, at least 100 ms")
        .Option("units3", Unit, "the unit of -interval: SEC, MSEC or MIN")
        .Option("resptimeout", MonitorTime.Parser, "how long a probe may take, less than -interval; default 2 s")
        .Option("units4", Unit, "the unit of -resptimeout")
        .Option("downTime", MonitorTime.Parser, "wait before probing a DOWN member; default 30 s")
        .Option("units2", Unit, "the unit of -downTime")
        .Option("retries", Values.Int(1, 127), "consecutive failed probes that mark a member DOWN; default 3")
        .Option("successRetries", Values.Int(1, 32), "consecutive successful probes that mark a member UP; default 1")
        .Option("destPort", Values.Port, "port to probe; default the member's port")
        .Option("httpRequest", Values.Text, "HTTP: method and path, e.g. \"GET /health\"; default HEAD /")
        .Option("respCode", RespCodes, "HTTP: status codes meaning UP, e.g. 200 or 200-299; default 200")
        .Option("send", Values.Text, "ECV: what to send; HTTP-ECV: the request, e.g. \"GET /status\"")
        .Option("recv", Values.Text, "ECV: text the reply must contain")
        .Option("customHeaders", Values.Text, "HTTP, HTTP-ECV: header lines added to the request")
        .Option("secure", Values.YesNo, "probe over TLS (TCP, HTTP, TCP-ECV, HTTP-ECV)")
        .Option("state", Values.EnabledDisabled, "a DISABLED monitor does not probe and does not count")
        .Keeps(Kept);

    /// <summary>Applies the options given on <paramref name="c"/> to <paramref name="m"/>, then checks the whole monitor.</summary>
    public static LbMonitor Apply(LbMonitor m, ParsedCommand c)
    {
        m = m with
        {
            Interval = Time(c, "interval", "units3", m.Interval),
            ResponseTimeout = Time(c, "resptimeout", "units4", m.ResponseTimeout),
            DownTime = Time(c, "downTime", "units2", m.DownTime),
            Retries = (int)c.Get("retries", (long)m.Retries),
            SuccessRetries = (int)c.Get("successRetries", (long)m.SuccessRetries),
            DestPort = c.Get("destPort", m.DestPort),
            HttpRequest = c.MaybeRef<string>("httpRequest") ?? m.HttpRequest,
            RespCodes = c.MaybeRef<List<StatusRange>>("respCode") is { } codes ? [.. codes] : m.RespCodes,
            Send = c.MaybeRef<string>("send") ?? m.Send,
            Recv = c.MaybeRef<string>("recv") ?? m.Recv,
            CustomHeaders = c.MaybeRef<string>("customHeaders") ?? m.CustomHeaders,
            Secure = c.Get("secure", m.Secure),
            Enabled = c.Get("state", m.Enabled),
        };
        Validate(m, c);
        return m;
    }

    private static MonitorTime Time(ParsedCommand c, string option, string unitOption, MonitorTime current)
    {
        var given = c.MaybeRef<TimeValue>(option);
        var unit = c.Maybe<MonitorTimeUnit>(unitOption);
        if (given?.Unit is { } written && unit is { } named && written != named)
        {
            throw c.Error(unitOption, $"-{option} says {MonitorTime.Units[written]} and -{unitOption} says {MonitorTime.Units[named]}; give the unit once");
        }

        return new MonitorTime(given?.Value ?? current.Value, given?.Unit ?? unit ?? (given is null ? current.Unit : MonitorTimeUnit.Sec));
    }

    private static void Validate(LbMonitor m, ParsedCommand c)
    {
        var type = MonitorTypes.Words[m.Type];
        if (m.Interval.Span < MinInterval || m.Interval.Span > MaxInterval)
        {
            throw c.Error(c.Has("interval") ? "interval" : "units3",
                $"-interval {m.Interval} is out of range; Portico probes at most every 100 ms and at least every 20940 s");
        }

        if (m.ResponseTimeout.Span >= m.Interval.Span)
        {
            throw c.Error(c.Has("resptimeout") ? "resptimeout" : c.Has("interval") ? "interval" : "name",
                $"-resptimeout ({m.ResponseTimeout}) must be less than -interval ({m.Interval}): a probe must end before the next one starts");
        }

        if (m.DownTime.Span < MinInterval)
        {
            throw c.Error(c.Has("downTime") ? "downTime" : "units2", $"-downTime {m.DownTime} is too short; at least 100 ms");
        }

        Only(c, m.Type == MonitorType.Http, "httpRequest", $"-httpRequest applies to HTTP monitors; a {type} monitor {SendsWhat(m.Type)}");
        Only(c, m.Type == MonitorType.Http, "respCode", $"-respCode applies to HTTP monitors; a {type} monitor {ChecksWhat(m.Type)}");
        Only(c, m.Type is MonitorType.TcpEcv or MonitorType.HttpEcv or MonitorType.UdpEcv, "send",
            $"-send applies to TCP-ECV, HTTP-ECV and UDP-ECV monitors; a {type} monitor {SendsWhat(m.Type)}");
        Only(c, m.Type is MonitorType.TcpEcv or MonitorType.HttpEcv or MonitorType.UdpEcv, "recv",
            $"-recv applies to TCP-ECV, HTTP-ECV and UDP-ECV monitors; a {type} monitor {ChecksWhat(m.Type)}");
        Only(c, m.Type is MonitorType.Http or MonitorType.HttpEcv, "customHeaders", "-customHeaders applies to HTTP and HTTP-ECV monitors");
        Only(c, m.Type.IsTcpBased() || !m.Secure, "secure", $"-secure YES applies to TCP, HTTP, TCP-ECV and HTTP-ECV monitors, not {type}");
        Only(c, m.Type != MonitorType.Ping || m.DestPort == 0, "destPort", "a PING monitor has no port");

        if (m.Type == MonitorType.Http && m.HttpRequest is { } request && HttpRequestLine.Problem(request) is { } problem)
        {
            throw c.Error("httpRequest", problem);
        }

        if (m.Type == MonitorType.HttpEcv && m.Send is { Length: > 0 } send && HttpRequestLine.Problem(send) is { } sendProblem)
        {
            throw c.Error("send", sendProblem);
        }

        if (m.Type == MonitorType.Ping && !IcmpPermission.Allowed)
        {
            throw c.Error("type", IcmpPermission.Explanation);
        }
    }

    private static void Only(ParsedCommand c, bool allowed, string option, string message)
    {
        if (c.Has(option) && !allowed)
        {
            throw c.Error(option, message);
        }
    }

    private static string SendsWhat(MonitorType t) => t switch
    {
        MonitorType.Http => "sends -httpRequest",
        MonitorType.Tcp => "only opens a connection",
        MonitorType.Ping => "sends an ICMP echo request",
        _ => "sends -send",
    };

    private static string ChecksWhat(MonitorType t) => t switch
    {
        MonitorType.Http => "checks the status against -respCode",
        MonitorType.Tcp => "checks that the connection opens",
        MonitorType.Ping => "checks for an ICMP echo reply",
        _ => "checks the reply for -recv",
    };
}

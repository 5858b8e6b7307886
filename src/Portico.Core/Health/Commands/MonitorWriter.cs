using System.Text;
using Portico.CommandLanguage;
using Portico.Configuration;

namespace Portico.Health.Commands;

/// <summary>How <c>save config</c> writes monitors and their bindings: ns.conf's words, defaults left out.</summary>
internal static class MonitorWriter
{
    public static void WriteMonitors(StringBuilder sb, RunningConfig config)
    {
        foreach (var m in config.Monitors)
        {
            sb.Append(Line(m)).Append('\n');
        }
    }

    public static void WriteBindings(StringBuilder sb, RunningConfig config)
    {
        foreach (var b in config.MonitorBindings)
        {
            var kind = config.ServiceGroupsByName.ContainsKey(b.Target) ? "serviceGroup" : "service";
            sb.Append($"bind {kind} {Q(b.Target)} -monitorName {Q(b.Monitor)}");
            if (!b.Enabled)
            {
                sb.Append(" -monState DISABLED");
            }

            foreach (var k in b.Kept)
            {
                sb.Append(' ').Append(k);
            }

            sb.Append('\n');
        }
    }

    /// <summary>The <c>add lb monitor</c> line; also the monitor's identity for carrying probe state across changes.</summary>
    public static string Line(LbMonitor m)
    {
        var d = LbMonitor.Create(m.Name, m.Type);
        var parts = new List<string> { $"add lb monitor {Q(m.Name)} {MonitorTypes.Words[m.Type]}" };
        Add(parts, m.HttpRequest is not null, $"-httpRequest {Q(m.HttpRequest ?? "")}");
        Add(parts, !m.RespCodes.IsDefaultOrEmpty, $"-respCode {m.RespCodesText}");
        Add(parts, m.Send is not null, $"-send {Q(m.Send ?? "")}");
        Add(parts, m.Recv is not null, $"-recv {Q(m.Recv ?? "")}");
        Add(parts, m.CustomHeaders is not null, $"-customHeaders {Q(m.CustomHeaders ?? "")}");
        Add(parts, m.Interval != d.Interval, $"-interval {m.Interval.ToConfig()}");
        Add(parts, m.ResponseTimeout != d.ResponseTimeout, $"-resptimeout {m.ResponseTimeout.ToConfig()}");
        Add(parts, m.Retries != d.Retries, $"-retries {m.Retries}");
        Add(parts, m.SuccessRetries != d.SuccessRetries, $"-successRetries {m.SuccessRetries}");
        Add(parts, m.DownTime != d.DownTime, $"-downTime {m.DownTime.ToConfig()}");
        Add(parts, m.DestPort != 0, $"-destPort {m.DestPort}");
        Add(parts, m.Secure, "-secure YES");
        Add(parts, !m.Enabled, "-state DISABLED");
        parts.AddRange(m.Kept.Select(k => k.ToString()));
        return string.Join(' ', parts);
    }

    private static void Add(List<string> parts, bool when, string text)
    {
        if (when)
        {
            parts.Add(text);
        }
    }

    private static string Q(string word) => ConfigText.Quote(word);
}

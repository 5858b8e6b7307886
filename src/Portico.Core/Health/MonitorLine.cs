using Portico.CommandLanguage;

namespace Portico.Health;

/// <summary>
/// A monitor's canonical <c>add lb monitor</c> line: what <c>save config</c> writes, and the monitor's
/// identity for carrying probe state across changes (same line, same probe).
/// </summary>
public static class MonitorLine
{
    public static string Of(LbMonitor m)
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

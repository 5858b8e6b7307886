using Portico.Configuration;

namespace Portico.HighAvailability.Commands;

/// <summary>How <c>save config</c> writes the pair: <c>set HA node</c> with what differs from the defaults, then the peer.</summary>
internal static class HaLines
{
    public static IEnumerable<string> Write(RunningConfig config)
    {
        var ha = config.Ha;
        var s = ha.Local;
        var d = HaSettings.Default;
        var options = new[]
        {
            s.Status != d.Status ? $"-haStatus {HaWords.Statuses[s.Status]}" : "",
            s.Sync != d.Sync ? "-haSync DISABLED" : "",
            s.Propagation != d.Propagation ? "-haProp DISABLED" : "",
            s.HelloMilliseconds != d.HelloMilliseconds ? $"-helloInterval {s.HelloMilliseconds}" : "",
            s.DeadSeconds != d.DeadSeconds ? $"-deadInterval {s.DeadSeconds}" : "",
        }.Where(o => o.Length > 0).ToList();
        if (options.Count > 0)
        {
            yield return $"set HA node {string.Join(' ', options)}";
        }

        if (ha.Peer is { } peer)
        {
            yield return $"add HA node {peer.Id} {peer.Address}";
        }
    }
}

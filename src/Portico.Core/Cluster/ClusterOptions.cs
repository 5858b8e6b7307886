using System.Globalization;

namespace Portico.Cluster;

/// <summary>
/// <c>portico run --cluster etcd://HOST:PORT[,HOST:PORT...]/PREFIX</c>: the etcd members to talk to (tried in turn)
/// and the key prefix this cluster's config, blocks and members live under.
/// </summary>
public sealed record ClusterOptions(IReadOnlyList<Uri> Endpoints, string Prefix, string NodeName)
{
    /// <summary>Reads the <c>--cluster</c> value; throws <see cref="FormatException"/> naming what is wrong.</summary>
    public static ClusterOptions Parse(string value, string? nodeName = null)
    {
        const string scheme = "etcd://";
        if (!value.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            throw new FormatException($"--cluster '{value}': expected etcd://HOST:PORT[,HOST:PORT...]/PREFIX");
        }

        var rest = value[scheme.Length..];
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == rest.Length - 1)
        {
            throw new FormatException($"--cluster '{value}': expected a key prefix after the members (etcd://127.0.0.1:2379/portico)");
        }

        var endpoints = new List<Uri>();
        foreach (var member in rest[..slash].Split(','))
        {
            var colon = member.LastIndexOf(':');
            if (colon <= 0 || !int.TryParse(member[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
            {
                throw new FormatException($"--cluster '{value}': member '{member}' is not HOST:PORT");
            }

            endpoints.Add(new Uri($"http://{member}"));
        }

        var prefix = "/" + rest[(slash + 1)..].Trim('/') + "/";
        return new ClusterOptions(endpoints, prefix, nodeName ?? $"{Environment.MachineName}-{Environment.ProcessId}");
    }

    /// <summary>The key holding the whole config (canonical text).</summary>
    public string ConfigKey => Prefix + "config";

    /// <summary>The keys of TTL blocks: <c>blocks/&lt;name&gt;</c>, each under a lease of its TTL.</summary>
    public string BlocksPrefix => Prefix + "blocks/";

    /// <summary>The members' keys: <c>nodes/&lt;name&gt;</c>, each under the member's own lease.</summary>
    public string NodesPrefix => Prefix + "nodes/";

    public override string ToString() => $"etcd://{string.Join(',', Endpoints.Select(e => e.Authority))}{Prefix.TrimEnd('/')}";
}

using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Portico.Configuration;

namespace Portico.HighAvailability;

/// <summary>
/// What config sync carries: the primary's saved config without its node-local lines (the HA node set,
/// <c>set HA node</c>, this node's own address <c>add ns ip ... -type NSIP</c>), and how a secondary puts
/// its own node-local lines back after the primary's.
/// </summary>
public static partial class SyncedConfig
{
    /// <summary>The lines of <paramref name="config"/> that go to the peer (comments left out, so the digest is stable).</summary>
    public static string Of(RunningConfig config) =>
        string.Join('\n', Lines(config).Where(l => !IsLocal(l))) + "\n";

    /// <summary>This node's own lines of <paramref name="config"/>, kept across a sync.</summary>
    public static string LocalOf(RunningConfig config) =>
        string.Join('\n', Lines(config).Where(IsLocal)) + "\n";

    /// <summary>A short digest of synced text: heartbeats carry it so the secondary knows when to pull.</summary>
    public static ulong Digest(string synced) => BinaryPrimitives.ReadUInt64BigEndian(SHA256.HashData(Encoding.UTF8.GetBytes(synced)));

    /// <summary>True for a node-local line (never synced).</summary>
    public static bool IsLocal(string line) => LocalLine().IsMatch(line);

    private static IEnumerable<string> Lines(RunningConfig config) =>
        ConfigWriter.Write(config, DateTimeOffset.UnixEpoch).Split('\n').Where(l => l.Length > 0 && !l.StartsWith('#'));

    [GeneratedRegex(@"^\s*((add|set)\s+HA\s+node\b|add\s+ns\s+ip\s+\S+\s+\S+\s+.*-type\s+NSIP\b)", RegexOptions.IgnoreCase)]
    private static partial Regex LocalLine();
}

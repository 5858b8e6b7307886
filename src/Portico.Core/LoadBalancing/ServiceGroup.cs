using System.Collections.Immutable;
using Portico.CommandLanguage;

namespace Portico.LoadBalancing;

/// <summary>A pool of members sharing one protocol and settings (<c>add serviceGroup</c>).</summary>
public sealed record ServiceGroup(
    string Name,
    ServiceType Type,
    BackendSettings Settings,
    bool Enabled,
    ImmutableList<ServiceGroupMember> Members,
    string? Comment,
    IReadOnlyList<KeptOption> Kept);

/// <summary>One member of a service group (<c>bind serviceGroup g server port -weight w</c>).</summary>
public sealed record ServiceGroupMember(string ServerName, int Port, long Weight, bool Enabled, IReadOnlyList<KeptOption> Kept)
{
    /// <summary>How the member is named in <c>show</c> output and counters: <c>group(server:port)</c>.</summary>
    public string DisplayName(string group) => $"{group}({ServerName}:{(Port == 0 ? "*" : Port)})";
}

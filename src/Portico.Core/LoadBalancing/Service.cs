using Portico.CommandLanguage;

namespace Portico.LoadBalancing;

/// <summary>A backend endpoint (<c>add service</c>): a server, a protocol and a port.</summary>
public sealed record Service(
    string Name,
    string ServerName,
    ServiceType Type,
    int Port,
    BackendSettings Settings,
    bool Enabled,
    string? Comment,
    IReadOnlyList<KeptOption> Kept);

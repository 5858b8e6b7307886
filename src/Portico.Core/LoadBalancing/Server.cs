using System.Net;
using Portico.CommandLanguage;

namespace Portico.LoadBalancing;

/// <summary>A backend host (<c>add server</c>): a name for an address that services point at.</summary>
public sealed record Server(string Name, IPAddress Address, bool Enabled, string? Comment, IReadOnlyList<KeptOption> Kept);

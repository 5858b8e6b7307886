using System.Net;

namespace Portico.Runtime;

/// <summary>What a balancing method may look at to choose a member for one connection or request.</summary>
/// <param name="Client">The client's address and port.</param>
/// <param name="Local">The VIP and port the client reached.</param>
/// <param name="Url">The request's URL path and query, for URLHASH; null on L4.</param>
public readonly record struct BalancingContext(IPEndPoint Client, IPEndPoint Local, string? Url = null);

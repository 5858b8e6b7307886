using System.Net;

namespace Portico.Persistence;

/// <summary>What persistence may know of a client: its address, and on the L7 path the vserver's cookie if sent.</summary>
/// <param name="Address">The client's address (behind a PROXY header, the real client's).</param>
/// <param name="Cookie">The value of the vserver's persistence cookie in the request; null on L4 or when absent.</param>
public readonly record struct PersistenceClient(IPAddress Address, string? Cookie = null);

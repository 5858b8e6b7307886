namespace Portico.Acl.Compiled;

/// <summary>What the extended ACL table matches: a new connection's (or datagram's) header fields.</summary>
/// <param name="Source">The client's <see cref="AclAddress"/> key.</param>
/// <param name="Destination">The VIP's key.</param>
/// <param name="Country">The client's country id, or <see cref="Geo.CountryCodes.Unknown"/>.</param>
public readonly record struct AclPacket(UInt128 Source, UInt128 Destination, int SourcePort, int DestinationPort, byte Protocol, int Country);

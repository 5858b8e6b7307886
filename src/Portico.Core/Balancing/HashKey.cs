using System.Net;
using Portico.Runtime;

namespace Portico.Balancing;

/// <summary>What a hash-based method hashes.</summary>
public enum HashKey
{
    /// <summary>SOURCEIPHASH: the client's address.</summary>
    SourceIp,

    /// <summary>SRCIPSRCPORTHASH: the client's address and port.</summary>
    SourceIpSourcePort,

    /// <summary>MAGLEV: the connection's addresses and ports, as Maglev hashes a flow.</summary>
    FiveTuple,

    /// <summary>URLHASH: the request URL.</summary>
    Url,
}

/// <summary>Computes the hash of a connection for a <see cref="HashKey"/>.</summary>
public static class FlowHash
{
    public static ulong Of(HashKey key, in BalancingContext c) => key switch
    {
        HashKey.SourceIp => StableHash.Of(c.Client.Address),
        HashKey.SourceIpSourcePort => StableHash.Mix(StableHash.Of(c.Client.Address) ^ (ulong)c.Client.Port),
        HashKey.FiveTuple => FiveTuple(c.Client, c.Local),
        HashKey.Url => StableHash.Of(c.Url ?? ""),
        _ => 0,
    };

    /// <summary>Hash of a TCP flow (protocol 6) by its two endpoints.</summary>
    public static ulong FiveTuple(IPEndPoint client, IPEndPoint local) =>
        StableHash.Mix(StableHash.Of(client.Address) ^ StableHash.Of(local.Address, 1) ^ ((ulong)client.Port << 32 | (ulong)(uint)local.Port) ^ 6);
}

using System.Net;
using System.Text;

namespace Portico.ClientIp.ProxyProtocol;

/// <summary>The PROXY protocol command (version 2; a version 1 line is always <see cref="Proxy"/>).</summary>
public enum ProxyCommand
{
    /// <summary>The sender opened the connection for itself (a health check): use the socket's own endpoints.</summary>
    Local,

    /// <summary>The connection is relayed for a client the header describes.</summary>
    Proxy,
}

/// <summary>
/// A decoded PROXY protocol header (HAProxy's specification, version 1 text or version 2 binary).
/// <see cref="Source"/> and <see cref="Destination"/> are null when the header carries no usable TCP
/// address (version 1 <c>UNKNOWN</c>, version 2 <c>LOCAL</c>, <c>UNSPEC</c>, UDP or UNIX families): the
/// receiver then keeps the connection's real endpoints, as the specification asks.
/// </summary>
public sealed record ProxyHeader(int Version, ProxyCommand Command, IPEndPoint? Source, IPEndPoint? Destination, IReadOnlyList<ProxyTlv> Tlvs)
{
    /// <summary>The client's address and port come from the header.</summary>
    public bool HasAddresses => Source is not null && Destination is not null;

    /// <summary>The value of a TLV of <paramref name="type"/>, or null.</summary>
    public byte[]? Tlv(byte type) => Tlvs.FirstOrDefault(t => t.Type == type).Value;

    /// <summary>The host name the client asked for (<c>PP2_TYPE_AUTHORITY</c>, the TLS SNI), or null.</summary>
    public string? Authority => Tlv(ProxyTlvTypes.Authority) is { } v ? Encoding.UTF8.GetString(v) : null;

    /// <summary>The sender's connection identifier (<c>PP2_TYPE_UNIQUE_ID</c>), or null.</summary>
    public byte[]? UniqueId => Tlv(ProxyTlvTypes.UniqueId);
}

/// <summary>One type-length-value field of a version 2 header (the value is a copy).</summary>
public readonly record struct ProxyTlv(byte Type, byte[] Value);

/// <summary>The TLV types the specification registers (section 2.2).</summary>
public static class ProxyTlvTypes
{
    public const byte Alpn = 0x01;
    public const byte Authority = 0x02;
    public const byte Crc32C = 0x03;
    public const byte Noop = 0x04;
    public const byte UniqueId = 0x05;
    public const byte Ssl = 0x20;
    public const byte SslVersion = 0x21;
    public const byte SslCommonName = 0x22;
    public const byte SslCipher = 0x23;
    public const byte SslSignatureAlgorithm = 0x24;
    public const byte SslKeyAlgorithm = 0x25;
    public const byte Netns = 0x30;

    /// <summary><c>pp2_tlv_ssl.client</c>: the client connected over TLS.</summary>
    public const byte ClientSsl = 0x01;

    /// <summary>The longest <c>PP2_TYPE_UNIQUE_ID</c> the specification allows.</summary>
    public const int MaxUniqueIdLength = 128;
}

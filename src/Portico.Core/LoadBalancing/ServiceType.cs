using Portico.CommandLanguage;

namespace Portico.LoadBalancing;

/// <summary>The protocol of a vserver or service, as NetScaler names it (<c>-serviceType</c>).</summary>
public enum ServiceType
{
    Http,
    Ssl,
    Tcp,
    Udp,
    SslBridge,
    Any,
    Dns,
    DnsTcp,
    SslTcp,
}

/// <summary>Words and families of <see cref="ServiceType"/>.</summary>
public static class ServiceTypes
{
    public static readonly KeywordMap<ServiceType> Words = new(
        ("HTTP", ServiceType.Http), ("SSL", ServiceType.Ssl), ("TCP", ServiceType.Tcp), ("UDP", ServiceType.Udp),
        ("SSL_BRIDGE", ServiceType.SslBridge), ("ANY", ServiceType.Any), ("DNS", ServiceType.Dns),
        ("DNS_TCP", ServiceType.DnsTcp), ("SSL_TCP", ServiceType.SslTcp));

    /// <summary>NetScaler service types Portico does not carry; a line using one is kept and reported.</summary>
    private static readonly HashSet<string> OtherNetScalerTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        "FTP", "DTLS", "NNTP", "RPCSVR", "ADNS", "SNMP", "RTSP", "DHCPRA", "SIP_UDP", "SIP_TCP", "SIP_SSL",
        "ADNS_TCP", "MYSQL", "MSSQL", "ORACLE", "MONGO", "MONGO_TLS", "RADIUS", "RADIUSListener", "RDP",
        "DIAMETER", "SSL_DIAMETER", "TFTP", "SMPP", "PPTP", "GRE", "SYSLOGTCP", "SYSLOGUDP", "FIX", "SSL_FIX",
        "USER_TCP", "USER_SSL_TCP", "QUIC", "IPFIX", "LOGSTREAM", "LOGSTREAM_SSL", "MQTT", "MQTT_TLS",
        "QUIC_BRIDGE", "HTTP_QUIC", "PUSH", "SSL_PUSH", "PROXY", "ICMP",
    };

    public static readonly ValueParser Parser = words =>
    {
        Values.ExpectCount(words, 1, 1);
        if (Words.TryParse(words[0].Text, out var type))
        {
            return type;
        }

        throw OtherNetScalerTypes.Contains(words[0].Text)
            ? new UnsupportedValueException(0, $"service type {words[0].Text.ToUpperInvariant()} is not supported by Portico")
            : new ValueException(0, $"expected a service type: {string.Join(", ", Words.Words)}");
    };

    /// <summary>Types carried by the L4 TCP full proxy: bytes are relayed without being interpreted.</summary>
    public static bool IsL4Tcp(this ServiceType type) => type is ServiceType.Tcp or ServiceType.Any or ServiceType.SslBridge or ServiceType.DnsTcp;

    /// <summary>Types carried by the L7 HTTP path.</summary>
    public static bool IsHttp(this ServiceType type) => type is ServiceType.Http or ServiceType.Ssl;

    public static bool IsUdp(this ServiceType type) => type is ServiceType.Udp or ServiceType.Dns;
}

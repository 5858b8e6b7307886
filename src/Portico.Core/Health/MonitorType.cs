using Portico.CommandLanguage;

namespace Portico.Health;

/// <summary>What a monitor checks (<c>add lb monitor name TYPE</c>); each has its own probe.</summary>
public enum MonitorType
{
    /// <summary>ICMP echo request and reply.</summary>
    Ping,

    /// <summary>A TCP handshake (and a TLS handshake with <c>-secure YES</c>).</summary>
    Tcp,

    /// <summary>An HTTP request whose response status must be in <c>-respCode</c>.</summary>
    Http,

    /// <summary>Sends <c>-send</c> over TCP and expects <c>-recv</c> in the reply.</summary>
    TcpEcv,

    /// <summary>Sends the HTTP request <c>-send</c> and expects <c>-recv</c> in the response body.</summary>
    HttpEcv,

    /// <summary>Sends <c>-send</c> in a datagram; expects <c>-recv</c>, or without it no ICMP port unreachable.</summary>
    UdpEcv,
}

/// <summary>The operator's words for <see cref="MonitorType"/>.</summary>
public static class MonitorTypes
{
    public static readonly KeywordMap<MonitorType> Words = new(
        ("PING", MonitorType.Ping), ("TCP", MonitorType.Tcp), ("HTTP", MonitorType.Http), ("TCP-ECV", MonitorType.TcpEcv),
        ("HTTP-ECV", MonitorType.HttpEcv), ("UDP-ECV", MonitorType.UdpEcv));

    /// <summary>NetScaler monitor types Portico does not implement: a line using one is kept and reported.</summary>
    private static readonly HashSet<string> Other = new(StringComparer.OrdinalIgnoreCase)
    {
        "DNS", "FTP", "LDNS-PING", "LDNS-TCP", "LDNS-DNS", "RADIUS", "USER", "HTTP-INLINE", "SIP-UDP", "SIP-TCP", "LOAD",
        "FTP-EXTENDED", "SMTP", "SNMP", "NNTP", "MYSQL", "MYSQL-ECV", "MSSQL-ECV", "ORACLE-ECV", "LDAP", "POP3",
        "CITRIX-XML-SERVICE", "CITRIX-WEB-INTERFACE", "DNS-TCP", "RTSP", "ARP", "CITRIX-AG", "CITRIX-AAC-LOGINPAGE",
        "CITRIX-AAC-LAS", "CITRIX-XD-DDC", "ND6", "CITRIX-WI-EXTENDED", "DIAMETER", "RADIUS_ACCOUNTING", "STOREFRONT",
        "APPC", "SMPP", "CITRIX-XNC-ECV", "CITRIX-XDM", "CITRIX-STA-SERVICE", "CITRIX-STA-SERVICE-NHOP", "MQTT", "HTTP2",
        "GRPC", "MQTT-TLS", "HTTP2-SSL", "KAFKA", "KAFKA-AUTOCONF",
    };

    public static readonly ValueParser Parser = words =>
    {
        Values.ExpectCount(words, 1, 1);
        if (Words.TryParse(words[0].Text, out var type))
        {
            return type;
        }

        throw Other.Contains(words[0].Text)
            ? new UnsupportedValueException(0, $"monitor type {words[0].Text.ToUpperInvariant()} is not supported by Portico")
            : new ValueException(0, $"expected a monitor type: {string.Join(", ", Words.Words)}");
    };

    /// <summary>Types whose probe opens a TCP connection (and so may use <c>-secure YES</c>).</summary>
    public static bool IsTcpBased(this MonitorType type) => type is MonitorType.Tcp or MonitorType.Http or MonitorType.TcpEcv or MonitorType.HttpEcv;
}

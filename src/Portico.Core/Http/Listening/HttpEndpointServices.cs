using Portico.Capture.Tap;
using Portico.ClientIp;
using Portico.Http.Proxying;
using Portico.Listeners;

namespace Portico.Http.Listening;

/// <summary>What every L7 listener shares: admission, the engine's services, the tap, the registry of open connections.</summary>
internal sealed class HttpEndpointServices(ClientAdmission admission, ProxyServices proxy, ConnectionTaps taps, ClientIpOptions clientIp,
    L7Connections connections, Func<HttpFrontEnd> frontEnd)
{
    public ClientAdmission Admission { get; } = admission;

    public ProxyServices Proxy { get; } = proxy;

    public ConnectionTaps Taps { get; } = taps;

    public ClientIpOptions ClientIp { get; } = clientIp;

    public L7Connections Connections { get; } = connections;

    /// <summary>The Kestrel and YARP application for HTTP/2 clients, started on first use.</summary>
    public Func<HttpFrontEnd> FrontEnd { get; } = frontEnd;
}

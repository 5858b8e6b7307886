using System.Net.Http;
using System.Security.Authentication;
using System.Text;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;
using Portico.ClientIp.ProxyProtocol;
using Portico.ClientIp;
using Portico.Http.Pipeline;
using Portico.Runtime;
using Yarp.ReverseProxy.Transforms;

namespace Portico.Http.Backends;

/// <summary>
/// L7 requests to members whose server connections name one client (a PROXY header, or USIP): the request
/// carries its client, goes out on a connection of its own (<see cref="PerClientHandler"/>) and asks for it
/// to be closed after the response, so that no connection ever carries another client's request. The cost
/// is a connection per request to such members (HAProxy makes the same trade for send-proxy servers with
/// private connections).
/// </summary>
internal static class PerClientConnections
{
    /// <summary>The request's client and its own connection, for <see cref="PerClientHandler"/>.</summary>
    public static readonly HttpRequestOptionsKey<PerClientConnection> Connection = new("Portico.PerClientConnection");

    public static ValueTask TagAsync(RequestTransformContext context)
    {
        var state = context.HttpContext.Features.Get<HttpRequestState>();
        if (state?.Member is not { ClientIp.IsPerClient: true } member)
        {
            return ValueTask.CompletedTask;
        }

        var tlvs = member.ClientIp.SendProxy == ProxyProtocolVersion.V2 ? state.Connection.Tls?.Tlvs() ?? [] : [];
        var connection = new PerClientConnection(new ProxiedClient(state.Connection.Remote, state.Connection.Destination) { Tlvs = tlvs });
        context.HttpContext.Response.RegisterForDispose(connection);
        context.ProxyRequest.Options.Set(Connection, connection);
        context.ProxyRequest.Headers.ConnectionClose = true;
        return ValueTask.CompletedTask;
    }
}

/// <summary>One request's client, and the handler that connects for it alone: closed when the client's request ends.</summary>
internal sealed class PerClientConnection(ProxiedClient client) : IDisposable
{
    private IDisposable? _handler;

    public ProxiedClient Client { get; } = client;

    public void Own(IDisposable handler) => _handler = handler;

    public void Dispose() => _handler?.Dispose();
}

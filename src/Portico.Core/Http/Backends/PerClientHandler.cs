using System.Net.Http;

namespace Portico.Http.Backends;

/// <summary>
/// Sends a request that names its client (<see cref="PerClientConnections"/>) on a connection opened for
/// it alone, through a handler of its own, closed when the client's request ends. The shared pool cannot
/// be used for these: it hands a new connection to whichever request has waited longest, not to the one
/// whose client the connection was opened (bound, or PROXY-headed) for. Other requests use the pool.
/// </summary>
internal sealed class PerClientHandler(HttpMessageHandler pooled, Func<PerClientConnection, SocketsHttpHandler> create) : DelegatingHandler(pooled)
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (!request.Options.TryGetValue(PerClientConnections.Connection, out var connection))
        {
            return base.SendAsync(request, cancellationToken);
        }

        var invoker = new HttpMessageInvoker(create(connection), disposeHandler: true);
        connection.Own(invoker);
        return invoker.SendAsync(request, cancellationToken);
    }
}

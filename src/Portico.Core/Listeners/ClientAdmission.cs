using System.Net;
using System.Net.Sockets;
using Portico.Runtime;

namespace Portico.Listeners;

/// <summary>
/// The first stage of every TCP client connection, L4 and L7 alike, run before the connection counts as the
/// vserver's and before a byte of it is read (before the TLS handshake on an SSL vserver): the admission
/// policies on the peer; then, when the vserver requires a PROXY header, the header and the policies again
/// on the client it names. Behind an upstream balancer that sends PROXY headers the first check sees the
/// balancer, the second one the client. Reading the header is the data path's (an L4 socket, Kestrel's
/// pipe): it counts and closes a client whose header is refused, and hands back what it read.
/// </summary>
public sealed class ClientAdmission(IEnumerable<IAdmissionPolicy> policies)
{
    private readonly IAdmissionPolicy[] _policies = [.. policies];

    /// <summary>Admits a client or not; a denied one is counted in the vserver's <c>Denied</c> and is the caller's to reset.</summary>
    /// <param name="peer">The socket's peer.</param>
    /// <param name="local">The address and port the client reached.</param>
    /// <param name="vserver">The vserver of the listener, read once for the connection.</param>
    /// <param name="state">What <paramref name="readHeader"/> needs, passed so that no closure is allocated per connection.</param>
    /// <param name="readHeader">Reads the PROXY header; null when it refused (and closed) the connection.</param>
    /// <typeparam name="TState">The data path's connection and options.</typeparam>
    /// <typeparam name="THeader">What the data path keeps of the header (the L4 path relays the bytes behind it).</typeparam>
    public ValueTask<AdmittedClient<THeader>> AdmitAsync<TState, THeader>(IPEndPoint peer, IPEndPoint local, VserverRuntime vserver,
        TState state, Func<TState, ValueTask<ClientHeader<THeader>?>> readHeader)
        where THeader : class, IDisposable
    {
        if (_policies.Denies(peer, local, vserver, ProtocolType.Tcp))
        {
            return ValueTask.FromResult(AdmittedClient<THeader>.Denied);
        }

        // Without a PROXY header the stage completes at once: no state machine, no allocation.
        return vserver.AcceptsProxyProtocol
            ? WithHeaderAsync(peer, local, vserver, state, readHeader)
            : ValueTask.FromResult(new AdmittedClient<THeader>(AdmissionVerdict.Admitted, peer, local, null));
    }

    private async ValueTask<AdmittedClient<THeader>> WithHeaderAsync<TState, THeader>(IPEndPoint peer, IPEndPoint local, VserverRuntime vserver,
        TState state, Func<TState, ValueTask<ClientHeader<THeader>?>> readHeader)
        where THeader : class, IDisposable
    {
        if (await readHeader(state).ConfigureAwait(false) is not { } read)
        {
            return AdmittedClient<THeader>.Closed;
        }

        // A header without addresses (LOCAL: the balancer's own health check) leaves the peer as the client.
        if (read.Source is not { } client)
        {
            return new AdmittedClient<THeader>(AdmissionVerdict.Admitted, peer, local, read.Header);
        }

        if (_policies.Denies(client, local, vserver, ProtocolType.Tcp))
        {
            read.Header.Dispose();
            return AdmittedClient<THeader>.Denied;
        }

        return new AdmittedClient<THeader>(AdmissionVerdict.Admitted, client, read.Destination ?? local, read.Header);
    }
}

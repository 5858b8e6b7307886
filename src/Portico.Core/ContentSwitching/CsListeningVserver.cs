using System.Net;
using Portico.Listeners;
using Portico.LoadBalancing;

namespace Portico.ContentSwitching;

/// <summary>A <c>cs vserver</c> as a listening vserver: the HTTP listeners claim it like an HTTP or SSL lb vserver.</summary>
public sealed class CsListeningVserver(CsVserverRuntime runtime) : IListeningVserver
{
    public CsVserverRuntime Runtime { get; } = runtime;

    public string Kind => "cs vserver";

    public string Name => Runtime.Name;

    public ServiceType Type => Runtime.Config.Type;

    public IPEndPoint EndPoint { get; } = runtime.Config.IsAddressable ? new IPEndPoint(runtime.Config.Address!, runtime.Config.Port) : new IPEndPoint(IPAddress.None, 0);

    public bool IsAddressable => Runtime.Config.IsAddressable;

    public bool Enabled => Runtime.Config.Enabled;

    public string? ListenFailure
    {
        get => Runtime.Front.ListenFailure;
        set => Runtime.Front.ListenFailure = value;
    }
}

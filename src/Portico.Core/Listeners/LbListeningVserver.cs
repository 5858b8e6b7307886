using System.Net;
using Portico.LoadBalancing;
using Portico.Runtime;

namespace Portico.Listeners;

/// <summary>An <c>lb vserver</c> as a listening vserver: its config says where, its runtime is what it serves.</summary>
public sealed class LbListeningVserver(VserverRuntime runtime) : IListeningVserver
{
    /// <summary>The runtime new connections of this generation are served with.</summary>
    public VserverRuntime Runtime { get; } = runtime;

    public LbVserver Config => Runtime.Config;

    public string Kind => "lb vserver";

    public string Name => Runtime.Name;

    public ServiceType Type => Config.Type;

    public IPEndPoint EndPoint { get; } = runtime.Config.IsAddressable ? new IPEndPoint(runtime.Config.Address!, runtime.Config.Port) : new IPEndPoint(IPAddress.None, 0);

    public bool IsAddressable => Config.IsAddressable;

    public bool Enabled => Config.Enabled;

    public string? ListenFailure
    {
        get => Runtime.ListenFailure;
        set => Runtime.ListenFailure = value;
    }

    /// <summary>The lb vservers of <paramref name="model"/>, by name: the order listeners are given them.</summary>
    public static IEnumerable<LbListeningVserver> Of(RuntimeModel model) =>
        model.Vservers.Values.OrderBy(v => v.Name, StringComparer.Ordinal).Select(v => new LbListeningVserver(v));
}

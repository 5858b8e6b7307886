using System.Net;
using Portico.Testing;

namespace Portico.Core.Tests.Forwarding.Tcp;

/// <summary>A Portico with one TCP vserver <c>v</c> over the given backends, one service each.</summary>
internal sealed class L4Setup : IAsyncDisposable
{
    private L4Setup(PorticoHost host, TestTcpServer[] backends)
    {
        Host = host;
        Backends = backends;
    }

    public PorticoHost Host { get; }

    public TestTcpServer[] Backends { get; }

    public IPEndPoint Vip => Host.EndPointOf("v");

    public static async Task<L4Setup> StartAsync(int backends = 2, string vserverOptions = "-lbMethod ROUNDROBIN", string extra = "", TimeSpan? drain = null)
    {
        var servers = Enumerable.Range(1, backends).Select(i => TestTcpServer.Start($"b{i}")).ToArray();
        var lines = new List<string>();
        lines.AddRange(servers.Select((b, i) => $"add service s{i + 1} 127.0.0.1 TCP {b.Port}"));
        lines.Add($"add lb vserver v TCP 127.0.0.1 {Ports.Free()} {vserverOptions}");
        lines.AddRange(servers.Select((_, i) => $"bind lb vserver v s{i + 1}"));
        lines.Add(extra);
        return new L4Setup(await PorticoHost.StartAsync(string.Join('\n', lines), drainTimeout: drain), servers);
    }

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        foreach (var b in Backends)
        {
            await b.DisposeAsync();
        }
    }
}

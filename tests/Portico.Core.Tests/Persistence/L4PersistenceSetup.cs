using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Portico.Health;
using Portico.Testing;

namespace Portico.Core.Tests.Persistence;

/// <summary>
/// A Portico whose clock the test holds, with one TCP vserver <c>v</c> over two real backends (services s1 and
/// s2 over b1 and b2, round robin) and the persistence options a test gives; clients connect from addresses
/// of their own on loopback (127.0.8.x), as distinct hosts would.
/// </summary>
internal sealed class L4PersistenceSetup : IAsyncDisposable
{
    private L4PersistenceSetup(PorticoHost host, TestTcpServer[] backends, FakeTimeProvider time)
    {
        Host = host;
        Backends = backends;
        Time = time;
    }

    public PorticoHost Host { get; }

    public TestTcpServer[] Backends { get; }

    public FakeTimeProvider Time { get; }

    public IPEndPoint Vip => Host.EndPointOf("v");

    public static async Task<L4PersistenceSetup> StartAsync(string vserverOptions, string extra = "")
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var backends = new[] { TestTcpServer.Start("b1"), TestTcpServer.Start("b2") };
        var host = await PorticoHost.StartAsync($"""
            add service s1 127.0.0.1 TCP {backends[0].Port}
            add service s2 127.0.0.1 TCP {backends[1].Port}
            add lb vserver v TCP 127.0.0.1 {Ports.Free()} -lbMethod ROUNDROBIN {vserverOptions}
            bind lb vserver v s1
            bind lb vserver v s2
            {extra}
            """, configure: s =>
        {
            s.AddSingleton<TimeProvider>(time);
            s.AddSingleton(new HealthOptions { Spread = false });
        });
        return new L4PersistenceSetup(host, backends, time);
    }

    /// <summary>The backend a new connection from <paramref name="client"/> reaches (its name line); closed after.</summary>
    public async Task<string> WhoAnswersAsync(string client)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Parse(client), 0));
        await socket.ConnectAsync(Vip);
        return await TestClient.ReadLineAsync(socket);
    }

    /// <summary>The service of a backend: b1 is s1.</summary>
    public static string ServiceOf(string backend) => "s" + backend[1..];

    public static string Other(string backend) => backend == "b1" ? "b2" : "b1";

    public async Task<string> PersistentSessionsAsync() => (await Host.ApplyAsync("show lb persistentSessions v")).Describe();

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        foreach (var b in Backends)
        {
            await b.DisposeAsync();
        }
    }
}

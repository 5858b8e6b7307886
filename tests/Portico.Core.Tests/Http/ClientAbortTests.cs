using System.Net.Sockets;
using System.Text;
using Portico.Testing;

namespace Portico.Core.Tests.Http;

/// <summary>A client that closes its connection before its answer (wrk at the end of a run) is a client abort, not a 502.</summary>
public class ClientAbortTests
{
    [Fact]
    public async Task Clients_closing_while_their_request_is_with_the_server_add_client_aborts_and_no_502()
    {
        await using var setup = await HttpSetup.StartAsync(backends: 1);
        setup.Backends[0].Latency = TimeSpan.FromMilliseconds(500);
        var counters = setup.Host.Engine.Runtime.Vservers["v"].Counters;
        for (var i = 0; i < 5; i++)
        {
            using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
            await socket.ConnectAsync(setup.Vip);
            await socket.SendAsync(Encoding.ASCII.GetBytes("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n"), SocketFlags.None);
            await Task.Delay(100);
            socket.LingerState = new LingerOption(true, 0);
        }

        Assert.True(await Eventually.TrueAsync(() => Interlocked.Read(ref counters.ClientAborts) == 5, TimeSpan.FromSeconds(10)),
            $"client aborts {Interlocked.Read(ref counters.ClientAborts)}");
        Assert.Equal(0, Interlocked.Read(ref counters.Errors502));
        Assert.Equal(0, setup.Host.Engine.Runtime.Services["s1"].Health.Passive.Failures);
        Assert.Contains("Client aborts (the client closed before its answer; not errors): 5", (await setup.Host.MustApplyAsync("stat lb vserver v")).Describe());
    }
}

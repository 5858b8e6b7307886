using System.Net;
using System.Net.Sockets;

namespace L4Load;

/// <summary>Backends on 127.0.0.1: both write one byte first so a client knows the path works end to end.</summary>
internal static class Servers
{
    private static readonly byte[] Hello = "x"u8.ToArray();

    public static async Task<int> RunAsync(int port, bool hold)
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, port));
        listener.Listen(4096);
        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };
        AppDomain.CurrentDomain.ProcessExit += (_, _) => stop.Cancel();

        // Two accept loops: one per core keeps the backlog drained during connection storms.
        var loops = Enumerable.Range(0, 2).Select(_ => AcceptLoopAsync(listener, hold, stop.Token)).ToArray();
        await Task.WhenAll(loops).ConfigureAwait(false);
        return 0;
    }

    private static async Task AcceptLoopAsync(Socket listener, bool hold, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            Socket s;
            try
            {
                s = await listener.AcceptAsync(stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (SocketException)
            {
                // EMFILE under an idle test that overshot: wait for the backlog rather than spin.
                await Task.Delay(20, CancellationToken.None).ConfigureAwait(false);
                continue;
            }

            if (hold)
            {
                _ = HoldAsync(s);
            }
            else
            {
                Answer(s);
            }
        }
    }

    private static void Answer(Socket s)
    {
        try
        {
            // One synchronous send of one byte to a fresh socket cannot block; close sends the FIN.
            s.Send(Hello);
        }
        catch (SocketException)
        {
        }

        s.Dispose();
    }

    private static async Task HoldAsync(Socket s)
    {
        var buffer = new byte[64];
        try
        {
            await s.SendAsync(Hello, SocketFlags.None).ConfigureAwait(false);
            while (await s.ReceiveAsync(buffer, SocketFlags.None).ConfigureAwait(false) > 0)
            {
            }
        }
        catch (SocketException)
        {
        }
        finally
        {
            s.Dispose();
        }
    }
}

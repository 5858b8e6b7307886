using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace L4Load;

/// <summary>
/// New connections per second, the L4 way: connect, read the backend's byte and its FIN, close.
/// The backend closes first, so TIME_WAIT lands on the server side and the client never runs out of
/// ephemeral ports however long it runs.
/// </summary>
internal static class ConnRate
{
    public static async Task<int> RunAsync(int port, double seconds, int concurrency)
    {
        var target = new IPEndPoint(IPAddress.Loopback, port);
        var clock = Stopwatch.StartNew();
        var deadline = TimeSpan.FromSeconds(seconds);
        long ok = 0, errors = 0;
        var loops = Enumerable.Range(0, concurrency).Select(async _ =>
        {
            var buffer = new byte[16];
            while (clock.Elapsed < deadline)
            {
                using var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                try
                {
                    await s.ConnectAsync(target).ConfigureAwait(false);
                    var got = 0;
                    int n;
                    while ((n = await s.ReceiveAsync(buffer, SocketFlags.None).ConfigureAwait(false)) > 0)
                    {
                        got += n;
                    }

                    if (got == 1)
                    {
                        Interlocked.Increment(ref ok);
                    }
                    else
                    {
                        Interlocked.Increment(ref errors);
                    }
                }
                catch (SocketException)
                {
                    Interlocked.Increment(ref errors);
                    await Task.Delay(5).ConfigureAwait(false);
                }
            }
        }).ToArray();
        await Task.WhenAll(loops).ConfigureAwait(false);
        var elapsed = clock.Elapsed.TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{{\"connections\":{ok},\"errors\":{errors},\"seconds\":{elapsed:F3},\"rate\":{ok / elapsed:F1}}}"));
        return 0;
    }
}

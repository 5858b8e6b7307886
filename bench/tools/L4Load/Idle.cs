using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace L4Load;

/// <summary>
/// Memory per idle proxied connection: opens <c>count</c> connections through the proxy, moves one byte
/// each way on each (so both directions have run once, as on a real connection), leaves them idle,
/// and reads the proxy's VmRSS before and after. This process holds <c>count</c> fds; the backend
/// holds as many in its own process, and the proxy twice as many.
/// </summary>
internal static class Idle
{
    private const int Parallel = 64;

    public static async Task<int> RunAsync(int port, int count, int pid, double settleSeconds)
    {
        var target = new IPEndPoint(IPAddress.Loopback, port);
        var before = RssKib(pid);
        var sockets = new Socket[count];
        var next = -1;
        var failed = 0;
        var opening = System.Diagnostics.Stopwatch.StartNew();
        var workers = Enumerable.Range(0, Parallel).Select(async _ =>
        {
            var one = new byte[1];
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                sockets[i] = s;
                try
                {
                    using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                    await s.ConnectAsync(target, timeout.Token).ConfigureAwait(false);
                    if (await s.ReceiveAsync(one, SocketFlags.None, timeout.Token).ConfigureAwait(false) != 1)
                    {
                        Interlocked.Increment(ref failed);
                    }

                    await s.SendAsync(one, SocketFlags.None, timeout.Token).ConfigureAwait(false);
                }
                catch (Exception e) when (e is SocketException or OperationCanceledException)
                {
                    Interlocked.Increment(ref failed);
                }
            }
        }).ToArray();
        await Task.WhenAll(workers).ConfigureAwait(false);
        var openSeconds = opening.Elapsed.TotalSeconds;
        await Task.Delay(TimeSpan.FromSeconds(settleSeconds)).ConfigureAwait(false);
        var after = RssKib(pid);
        var open = count - failed;
        foreach (var s in sockets)
        {
            s?.Dispose();
        }

        var per = open > 0 ? (after - before) / (double)open : double.NaN;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{{\"connections\":{open},\"failed\":{failed},\"rss_before_kib\":{before},\"rss_after_kib\":{after},\"kib_per_connection\":{per:F2},\"open_seconds\":{openSeconds:F3}}}"));
        return failed == 0 ? 0 : 1;
    }

    /// <summary>VmRSS of a process, in KiB, from /proc/PID/status.</summary>
    internal static long RssKib(int pid)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture);
            }
        }

        throw new ArgumentException($"no VmRSS for pid {pid}");
    }
}

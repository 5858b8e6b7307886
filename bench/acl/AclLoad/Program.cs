// AclLoad: what bench/acl/run.py needs and nothing else, every loop bounded in time.
//   serve PORT                         echo backend on 127.0.0.1:PORT
//   connect HOST:PORT[,HOST:PORT] SECONDS LOOPS   new connections: connect, 1 byte there and back, close;
//                                      LOOPS loops per target, all targets at once; prints counts per target
//   stream HOST:PORT[,HOST:PORT] SECONDS CONNS    bytes echoed through CONNS long connections per target
//   alternate KIND A,B PIDA,PIDB WINDOW ROUNDS LOOPS   short windows on A then B (B then A next round), each with
//                                      the target's CPU from /proc: one line per round (KIND: accept or stream)
//   config FILE VIP_PORT BACKEND_PORT RULES GEO   writes a portico.conf (RULES=yes: 100,000 simple + 10,000 extended ACLs)
//   inproc GEO                         memory per 100,000 simple ACLs, apply time of 10,000 extended ACLs, lookup cost
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Portico.Acl;
using Portico.Acl.Compiled;
using Portico.Configuration;
using Portico.Engine;

return args[0] switch
{
    "serve" => await Serve(int.Parse(args[1], CultureInfo.InvariantCulture)),
    "connect" => await Connect(Targets(args[1]), double.Parse(args[2], CultureInfo.InvariantCulture), int.Parse(args[3], CultureInfo.InvariantCulture)),
    "stream" => await Stream(Targets(args[1]), double.Parse(args[2], CultureInfo.InvariantCulture), int.Parse(args[3], CultureInfo.InvariantCulture)),
    "alternate" => await Alternate(args[1], Targets(args[2]), [.. args[3].Split(',').Select(int.Parse)],
        double.Parse(args[4], CultureInfo.InvariantCulture), int.Parse(args[5], CultureInfo.InvariantCulture), int.Parse(args[6], CultureInfo.InvariantCulture)),
    "config" => Measurements.WriteConfig(args[1], args[2], args[3], args[4] == "yes", args[5]),
    "inproc" => Measurements.InProcess(args[1]),
    _ => throw new ArgumentException("mode: serve, connect, stream, config, inproc"),
};

// Pairs of short windows cancel the slow swings of a shared machine: each round's ratio compares two
// windows a few seconds apart, and the order flips every round so neither target always goes first.
static async Task<int> Alternate(string kind, IPEndPoint[] targets, int[] pids, double window, int rounds, int loops)
{
    static double Cpu(int pid)
    {
        var fields = File.ReadAllText($"/proc/{pid}/stat").Split(')')[^1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
    }

    for (var r = 0; r < rounds; r++)
    {
        var values = new double[targets.Length];
        var cpu = new double[targets.Length];
        var errors = new long[targets.Length];
        var order = Enumerable.Range(0, targets.Length).ToArray();
        if (r % 2 == 1)
        {
            Array.Reverse(order);
        }

        foreach (var t in order)
        {
            var before = Cpu(pids[t]);
            var (value, failed) = kind == "accept" ? await ConnectWindow(targets[t], window, loops) : await StreamWindow(targets[t], window, loops);
            cpu[t] = Cpu(pids[t]) - before;
            values[t] = value;
            errors[t] = failed;
        }

        Console.WriteLine($"round={r} values={string.Join(',', values.Select(v => v.ToString("F1", CultureInfo.InvariantCulture)))} "
            + $"cpu={string.Join(',', cpu.Select(v => v.ToString("F2", CultureInfo.InvariantCulture)))} errors={PerTarget(errors)}");
    }

    return 0;
}

static async Task<(double PerSecond, long Errors)> ConnectWindow(IPEndPoint target, double seconds, int loops)
{
    long done = 0, errors = 0;
    var deadline = Stopwatch.GetTimestamp() + (long)(seconds * Stopwatch.Frequency);
    var one = new byte[] { 42 };
    async Task Loop()
    {
        var buffer = new byte[1];
        while (Stopwatch.GetTimestamp() < deadline)
        {
            using var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await s.ConnectAsync(target, bound.Token);
                await s.SendAsync(one, SocketFlags.None, bound.Token);
                if (await s.ReceiveAsync(buffer, SocketFlags.None, bound.Token) == 1)
                {
                    Interlocked.Increment(ref done);
                    continue;
                }
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException)
            {
            }

            Interlocked.Increment(ref errors);
        }
    }

    var watch = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, loops).Select(_ => Task.Run(Loop)));
    return (done / watch.Elapsed.TotalSeconds, errors);
}

static async Task<(double MiBPerSecond, long Stuck)> StreamWindow(IPEndPoint target, double seconds, int connections)
{
    long received = 0, stuck = 0;
    var deadline = Stopwatch.GetTimestamp() + (long)(seconds * Stopwatch.Frequency);
    using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(seconds + 10));
    async Task One()
    {
        using var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await s.ConnectAsync(target, bound.Token);
            var chunk = new byte[64 * 1024];
            var send = Task.Run(async () =>
            {
                while (Stopwatch.GetTimestamp() < deadline)
                {
                    await s.SendAsync(chunk, SocketFlags.None, bound.Token);
                }

                s.Shutdown(SocketShutdown.Send);
            });
            var buffer = new byte[256 * 1024];
            int n;
            while ((n = await s.ReceiveAsync(buffer, SocketFlags.None, bound.Token)) > 0)
            {
                if (Stopwatch.GetTimestamp() < deadline)
                {
                    Interlocked.Add(ref received, n);
                }
            }

            await send;
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException)
        {
            Interlocked.Increment(ref stuck);
        }
    }

    await Task.WhenAll(Enumerable.Range(0, connections).Select(_ => Task.Run(One)));
    return (received / seconds / (1 << 20), stuck);
}

static IPEndPoint[] Targets(string list) => [.. list.Split(',').Select(IPEndPoint.Parse)];

static string PerTarget(long[] values) => string.Join(',', values);

static async Task<int> Serve(int port)
{
    using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
    listener.Bind(new IPEndPoint(IPAddress.Loopback, port));
    listener.Listen(4096);
    while (true)
    {
        var s = await listener.AcceptAsync();
        _ = Task.Run(async () =>
        {
            var buffer = new byte[64 * 1024];
            try
            {
                int n;
                while ((n = await s.ReceiveAsync(buffer, SocketFlags.None)) > 0)
                {
                    await s.SendAsync(buffer.AsMemory(0, n), SocketFlags.None);
                }
            }
            catch (SocketException)
            {
            }
            finally
            {
                s.Dispose();
            }
        });
    }
}

static async Task<int> Connect(IPEndPoint[] targets, double seconds, int loops)
{
    var done = new long[targets.Length];
    var errors = new long[targets.Length];
    var deadline = Stopwatch.GetTimestamp() + (long)(seconds * Stopwatch.Frequency);
    var one = new byte[] { 42 };
    async Task Loop(int t)
    {
        var buffer = new byte[1];
        while (Stopwatch.GetTimestamp() < deadline)
        {
            using var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await s.ConnectAsync(targets[t], bound.Token);
                await s.SendAsync(one, SocketFlags.None, bound.Token);
                if (await s.ReceiveAsync(buffer, SocketFlags.None, bound.Token) == 1)
                {
                    Interlocked.Increment(ref done[t]);
                }
                else
                {
                    Interlocked.Increment(ref errors[t]);
                }
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException)
            {
                Interlocked.Increment(ref errors[t]);
            }
        }
    }

    // Loops of every target are interleaved in start order, so each target sees the machine as the others do.
    var watch = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, loops * targets.Length).Select(i => Task.Run(() => Loop(i % targets.Length))));
    Console.WriteLine($"connections={PerTarget(done)} errors={PerTarget(errors)} seconds={watch.Elapsed.TotalSeconds:F3}");
    return 0;
}

static async Task<int> Stream(IPEndPoint[] targets, double seconds, int connections)
{
    var received = new long[targets.Length];
    var stuck = new long[targets.Length];
    var deadline = Stopwatch.GetTimestamp() + (long)(seconds * Stopwatch.Frequency);

    // Bounded: whatever happens, every socket is closed 10 s after the measured window.
    using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(seconds + 10));
    async Task One(int t)
    {
        using var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await s.ConnectAsync(targets[t], bound.Token);
            var chunk = new byte[64 * 1024];
            var send = Task.Run(async () =>
            {
                while (Stopwatch.GetTimestamp() < deadline)
                {
                    await s.SendAsync(chunk, SocketFlags.None, bound.Token);
                }

                s.Shutdown(SocketShutdown.Send);
            });
            var buffer = new byte[256 * 1024];
            int n;
            while ((n = await s.ReceiveAsync(buffer, SocketFlags.None, bound.Token)) > 0)
            {
                if (Stopwatch.GetTimestamp() < deadline)
                {
                    Interlocked.Add(ref received[t], n);
                }
            }

            await send;
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException)
        {
            Interlocked.Increment(ref stuck[t]);
        }
    }

    await Task.WhenAll(Enumerable.Range(0, connections * targets.Length).Select(i => Task.Run(() => One(i % targets.Length))));
    Console.WriteLine($"bytes={PerTarget(received)} seconds={seconds:F3} stuck={PerTarget(stuck)}");
    return 0;
}

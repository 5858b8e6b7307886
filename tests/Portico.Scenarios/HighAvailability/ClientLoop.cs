using System.Globalization;

namespace Portico.Scenarios.HighAvailability;

/// <summary>
/// The client of the failover scenarios: one HTTP request per connection to the VIP every few milliseconds, each
/// bounded (300 ms to connect and answer), for a bounded time; it prints <c>&lt;ms since start&gt; ok|fail</c> per
/// request. <see cref="Parse"/> turns that into what a user saw: failed requests and the longest time without service.
/// </summary>
public sealed record ClientLoop(int Requests, int Failed, double LongestOutageMs, double FirstFailureMs)
{
    public const string Script = """
        import socket, sys, time
        vip, port, seconds, every = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]) / 1000.0
        start = time.monotonic()
        n = 0
        while time.monotonic() - start < seconds and n < 100000:
            n += 1
            t = time.monotonic()
            ok = False
            try:
                s = socket.create_connection((vip, port), timeout=0.3)
                s.settimeout(0.3)
                s.sendall(b"GET / HTTP/1.0\r\nHost: vip\r\n\r\n")
                data = b""
                while True:
                    chunk = s.recv(4096)
                    if not chunk:
                        break
                    data += chunk
                ok = b"served by srv" in data
                s.close()
            except OSError:
                pass
            print("%d %s" % ((t - start) * 1000, "ok" if ok else "fail"), flush=True)
            left = every - (time.monotonic() - t)
            if left > 0:
                time.sleep(left)
        """;

    /// <summary>
    /// Reads the loop's lines. The outage is from the last success before a failure to the first success after it
    /// (the longest such stretch); with no failure it is 0.
    /// </summary>
    public static ClientLoop Parse(string output)
    {
        var results = output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Trim().Split(' '))
            .Where(p => p.Length == 2 && double.TryParse(p[0], NumberStyles.Float, CultureInfo.InvariantCulture, out _))
            .Select(p => (At: double.Parse(p[0], CultureInfo.InvariantCulture), Ok: p[1] == "ok"))
            .ToList();
        double longest = 0, lastOk = 0, firstFailure = -1;
        var inOutage = false;
        foreach (var (at, ok) in results)
        {
            if (ok)
            {
                if (inOutage)
                {
                    longest = Math.Max(longest, at - lastOk);
                }

                inOutage = false;
                lastOk = at;
            }
            else
            {
                firstFailure = firstFailure < 0 ? at : firstFailure;
                inOutage = true;
            }
        }

        if (inOutage)
        {
            longest = double.PositiveInfinity;
        }

        return new ClientLoop(results.Count, results.Count(r => !r.Ok), longest, firstFailure);
    }

    public override string ToString() =>
        $"{Requests} requests, {Failed} failed, longest time without service {(double.IsPositiveInfinity(LongestOutageMs) ? "unbounded (never served again)" : $"{LongestOutageMs:F0} ms")}";
}

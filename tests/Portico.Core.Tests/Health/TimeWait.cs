using System.Globalization;
using System.Net;

namespace Portico.Core.Tests.Health;

/// <summary>TCP connections in TIME_WAIT, read from /proc/net/tcp and tcp6 (state 06), as <c>ss -tan state time-wait</c> shows them.</summary>
internal static class TimeWait
{
    public static List<(IPEndPoint Local, IPEndPoint Remote)> Connections()
    {
        var list = new List<(IPEndPoint, IPEndPoint)>();
        foreach (var file in new[] { "/proc/net/tcp", "/proc/net/tcp6" }.Where(File.Exists))
        {
            foreach (var line in File.ReadLines(file).Skip(1))
            {
                var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (f.Length > 3 && f[3] == "06")
                {
                    list.Add((Parse(f[1]), Parse(f[2])));
                }
            }
        }

        return list;
    }

    private static IPEndPoint Parse(string hex)
    {
        var parts = hex.Split(':');
        var port = int.Parse(parts[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        var bytes = Convert.FromHexString(parts[0]);

        // The kernel prints each 32-bit word in host (little-endian) order.
        for (var i = 0; i < bytes.Length; i += 4)
        {
            Array.Reverse(bytes, i, 4);
        }

        return new IPEndPoint(new IPAddress(bytes), port);
    }
}

using System.Globalization;

namespace Portico.Upstream;

/// <summary>
/// The kernel's ephemeral port range (<c>net.ipv4.ip_local_port_range</c>, which IPv6 shares): how many
/// connections one source address can hold toward one server ip:port. Read when asked (stat), never on
/// the data path; it is per network namespace.
/// </summary>
public static class LocalPortRange
{
    private const string Path = "/proc/sys/net/ipv4/ip_local_port_range";

    /// <summary>The range, or Linux's default (32768-60999) when it cannot be read. Reads the file each time.</summary>
    public static PortRange Read()
    {
        try
        {
            var parts = File.ReadAllText(Path).Split((char[])['\t', ' ', '\n'], StringSplitOptions.RemoveEmptyEntries);
            return new(int.Parse(parts[0], CultureInfo.InvariantCulture), int.Parse(parts[1], CultureInfo.InvariantCulture));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return new(32768, 60999);
        }
    }
}

/// <summary>An ephemeral port range, written as the kernel takes it: <c>32768-60999</c>.</summary>
public readonly record struct PortRange(int Low, int High)
{
    /// <summary>Ports per source address toward one destination.</summary>
    public int Size => High - Low + 1;

    public override string ToString() => $"{Low}-{High}";
}

using System.Runtime.InteropServices;
using Portico.Configuration;

namespace Portico.Appliance.Commands;

/// <summary><c>show ns hardware</c>: on NetScaler the appliance model and serial; for Portico the host it runs on.</summary>
/// <param name="Platform">Operating system and kernel.</param>
/// <param name="Cpu">The CPU model as the kernel names it (<c>/proc/cpuinfo</c>), when it does.</param>
/// <param name="Cores">Logical CPUs this process may use.</param>
/// <param name="MemoryMiB">Total memory of the host (<c>/proc/meminfo</c>), when known.</param>
/// <param name="HostId">The machine id (<c>/etc/machine-id</c>), NetScaler's "Host Id", when the host has one.</param>
/// <param name="HostName">The host's name.</param>
internal sealed record NsHardwareView(string Platform, string? Cpu, int Cores, long? MemoryMiB, string? HostId, string HostName) : IQueryResult
{
    public static NsHardwareView OfThisHost() =>
        new($"{RuntimeInformation.OSDescription} {RuntimeInformation.OSArchitecture}", FirstValue("/proc/cpuinfo", "model name"),
            Environment.ProcessorCount, FirstValue("/proc/meminfo", "MemTotal") is { } kb && long.TryParse(kb.Split(' ')[0], out var k) ? k / 1024 : null,
            ReadLine("/etc/machine-id"), Environment.MachineName);

    public string ToText() =>
        $"\tPlatform: {Platform}\n"
        + $"\tCPU: {Cpu ?? "unknown"}, {Cores} core(s)\n"
        + $"\tMemory: {(MemoryMiB is { } m ? $"{m} MiB" : "unknown")}\n"
        + $"\tHost Id: {HostId ?? "unknown"}\n"
        + $"\tHost name: {HostName}\n";

    /// <summary>The value of the first <c>key : value</c> line of a /proc file; null when the file or the key is missing.</summary>
    private static string? FirstValue(string path, string key)
    {
        try
        {
            foreach (var line in File.ReadLines(path))
            {
                var colon = line.IndexOf(':', StringComparison.Ordinal);
                if (colon > 0 && line[..colon].Trim().Equals(key, StringComparison.Ordinal))
                {
                    return line[(colon + 1)..].Trim();
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }

        return null;
    }

    private static string? ReadLine(string path)
    {
        try
        {
            return File.Exists(path) ? File.ReadLines(path).FirstOrDefault()?.Trim() is { Length: > 0 } s ? s : null : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}

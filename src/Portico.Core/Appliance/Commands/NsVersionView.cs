using System.Reflection;
using System.Runtime.InteropServices;
using Portico.Configuration;

namespace Portico.Appliance.Commands;

/// <summary><c>show ns version</c>: what NetScaler prints as "NS14.1: Build 12.35.nc, Date: ...", for Portico.</summary>
/// <param name="Version">The product version (the assembly's informational version without the commit).</param>
/// <param name="Commit">The source commit the binary was built from, when the build recorded it.</param>
/// <param name="BuildDate">When the engine's assembly was written (the build), UTC.</param>
/// <param name="Runtime">The .NET runtime running Portico.</param>
/// <param name="Platform">Runtime identifier and word size.</param>
internal sealed record NsVersionView(string Version, string? Commit, DateTimeOffset? BuildDate, string Runtime, string Platform) : IQueryResult
{
    public static NsVersionView OfThisProcess()
    {
        var assembly = typeof(NsVersionView).Assembly;
        var informational = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? assembly.GetName().Version?.ToString() ?? "unknown";
        var plus = informational.IndexOf('+', StringComparison.Ordinal);
        var commit = plus < 0 ? null : informational[(plus + 1)..];
        DateTimeOffset? built = assembly.Location is { Length: > 0 } path && File.Exists(path) ? File.GetLastWriteTimeUtc(path) : null;
        return new NsVersionView(plus < 0 ? informational : informational[..plus], commit is { Length: > 12 } ? commit[..12] : commit, built,
            RuntimeInformation.FrameworkDescription, $"{RuntimeInformation.RuntimeIdentifier} ({IntPtr.Size * 8}-bit)");
    }

    public string ToText() =>
        $"\tPortico {Version}: Build {Commit ?? "local"}, Date: {BuildDate?.ToString("MMM d yyyy, HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture) ?? "unknown"} UTC   {Platform}\n"
        + $"\tRuntime: {Runtime}\n";
}

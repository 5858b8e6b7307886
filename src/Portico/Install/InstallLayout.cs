namespace Portico.Install;

/// <summary>
/// Where an installed Portico keeps its files, and how it knows it is installed: its binary lives under
/// <c>/usr</c> (the package puts it in <c>/usr/lib/portico</c>, linked from <c>/usr/bin/portico</c>). A build in
/// a source tree or anywhere else is not installed, so <c>dotnet run --project src/Portico -- run</c> keeps
/// serving the demo; an installed <c>portico run</c> reads <see cref="ConfigFile"/> and needs <c>--demo</c> for it.
/// </summary>
internal static class InstallLayout
{
    /// <summary>The config file of an installed Portico, a dpkg conffile.</summary>
    public const string ConfigFile = "/etc/portico/portico.conf";

    /// <summary>True when this process's binary is installed (see the type's summary).</summary>
    public static bool Installed => IsInstalled(AppContext.BaseDirectory);

    /// <summary>True when <paramref name="baseDirectory"/>, the folder of the running binary, is under <c>/usr</c>.</summary>
    public static bool IsInstalled(string baseDirectory) =>
        Path.GetFullPath(baseDirectory).StartsWith("/usr/", StringComparison.Ordinal);
}

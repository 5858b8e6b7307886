namespace Portico.Utilities;

/// <summary>Where Portico keeps files it writes on its own (history, traces) when the operator names no directory.</summary>
public static class StateDirectory
{
    /// <summary>
    /// <c>$<paramref name="variable"/></c>, else <paramref name="rootPath"/> for root, else systemd's
    /// <c>$STATE_DIRECTORY</c> (the unit's <c>StateDirectory=</c>), else the user's state directory
    /// (<c>$XDG_STATE_HOME</c> or <c>~/.local/state</c>) joined with <c>portico</c> and <paramref name="under"/>.
    /// Always absolute: a service account without a home directory gets one under the temporary directory.
    /// </summary>
    public static string Default(string variable, string rootPath, params string[] under) =>
        Default(variable, rootPath, under, Environment.GetEnvironmentVariable, Environment.UserName,
            Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), Directory.Exists, Path.GetTempPath());

    /// <summary>The rule of <see cref="Default(string, string, string[])"/> over a given environment (tests).</summary>
    internal static string Default(string variable, string rootPath, string[] under, Func<string, string?> env, string user, string? home,
        Func<string, bool> exists, string temp)
    {
        if (env(variable) is { Length: > 0 } chosen)
        {
            return chosen;
        }

        if (user == "root")
        {
            return rootPath;
        }

        // systemd passes the unit's StateDirectory= as an absolute path (several are separated by ':').
        if (env("STATE_DIRECTORY") is { Length: > 0 } systemd && systemd.Split(':')[0] is { } first && Path.IsPathRooted(first))
        {
            return Path.Combine([first, .. under]);
        }

        if (env("XDG_STATE_HOME") is { Length: > 0 } xdg && Path.IsPathRooted(xdg))
        {
            return Path.Combine([xdg, "portico", .. under]);
        }

        // A system account (useradd --system) often has no home, or /nonexistent: a path relative to the
        // working directory, or one that cannot be created, would fail in a place no one looks.
        if (home is { Length: > 0 } && Path.IsPathRooted(home) && exists(home))
        {
            return Path.Combine([home, ".local", "state", "portico", .. under]);
        }

        return Path.Combine([temp, $"portico-{user}", "state", .. under]);
    }
}

namespace Portico.Utilities;

/// <summary>Where Portico keeps files it writes on its own (history, traces) when the operator names no directory.</summary>
public static class StateDirectory
{
    /// <summary>
    /// <c>$<paramref name="variable"/></c>, else <paramref name="rootPath"/> for root, else the user's state
    /// directory (<c>$XDG_STATE_HOME</c> or <c>~/.local/state</c>) joined with <c>portico</c> and <paramref name="under"/>.
    /// </summary>
    public static string Default(string variable, string rootPath, params string[] under)
    {
        if (Environment.GetEnvironmentVariable(variable) is { Length: > 0 } env)
        {
            return env;
        }

        if (Environment.UserName == "root")
        {
            return rootPath;
        }

        var state = Environment.GetEnvironmentVariable("XDG_STATE_HOME") is { Length: > 0 } xdg
            ? xdg
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "state");
        return Path.Combine([state, "portico", .. under]);
    }
}

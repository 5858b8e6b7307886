namespace Portico.Counters.History;

/// <summary>
/// Where the history log goes when the config names no directory: <c>portico run</c> passes
/// <c>--log-dir</c> (default <see cref="DefaultDirectory"/>); an engine embedded without one (tests)
/// writes no history unless its config sets <c>-directory</c>.
/// </summary>
public sealed record HistoryOptions(string? Directory)
{
    /// <summary><c>$PORTICO_LOG_DIR</c>, else <c>/var/log/portico</c> for root, else <c>~/.local/state/portico</c>.</summary>
    public static string DefaultDirectory => Utilities.StateDirectory.Default("PORTICO_LOG_DIR", "/var/log/portico");
}

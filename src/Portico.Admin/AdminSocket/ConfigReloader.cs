using Portico.Configuration;
using Portico.Engine;

namespace Portico.Admin.AdminSocket;

/// <summary>
/// Re-reads the config file as a whole (SIGHUP or <c>portico reload</c>): the new file replaces the
/// running config only if every line of it is valid; otherwise the old config keeps serving. A running
/// config changed since the last save is not thrown away unasked: without <c>force</c> the reload is
/// refused with what would be lost and how to keep it.
/// </summary>
public sealed class ConfigReloader(PorticoEngine engine, SaveTracker saved)
{
    public async Task<AdminResponse> ReloadAsync(bool force, CancellationToken cancellationToken)
    {
        if (engine.Store.ConfigPath is not { } path)
        {
            return new AdminResponse(false, "this process runs on the embedded default config; there is no file to reload\n");
        }

        if (!force && saved.Unsaved)
        {
            return new AdminResponse(false,
                $"not reloaded: the running config has {saved.ChangesSinceSave} change(s) not saved to {path} (last at {saved.LastChanged:yyyy-MM-dd HH:mm:ss} UTC), "
                + "which a reload would discard. Keep them with 'save ns config' first, or discard them with 'portico reload --force'\n", Unsaved: true);
        }

        string text;
        try
        {
            text = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new AdminResponse(false, $"cannot read {path}: {e.Message}; the running config is unchanged\n", saved.Unsaved);
        }

        var result = await engine.ReplaceAsync(text, path, cancellationToken).ConfigureAwait(false);
        if (result.Applied)
        {
            saved.MarkSaved(engine.Store.Current);
        }

        return new AdminResponse(result.Applied, result.Applied
            ? $"Reloaded {path}\n{result.Describe(includeNotes: false)}"
            : $"{path} was not applied; the running config is unchanged.\n{result.Describe()}", saved.Unsaved);
    }
}

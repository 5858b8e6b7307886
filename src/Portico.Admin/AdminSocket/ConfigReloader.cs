using Portico.Engine;

namespace Portico.Admin.AdminSocket;

/// <summary>
/// Re-reads the config file as a whole (SIGHUP or <c>portico reload</c>): the new file replaces the
/// running config only if every line of it is valid; otherwise the old config keeps serving.
/// </summary>
public sealed class ConfigReloader(PorticoEngine engine)
{
    public async Task<AdminResponse> ReloadAsync(CancellationToken cancellationToken)
    {
        if (engine.Store.ConfigPath is not { } path)
        {
            return new AdminResponse(false, "this process runs on the embedded default config; there is no file to reload\n");
        }

        string text;
        try
        {
            text = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            return new AdminResponse(false, $"cannot read {path}: {e.Message}; the running config is unchanged\n");
        }

        var result = await engine.ReplaceAsync(text, path, cancellationToken).ConfigureAwait(false);
        return new AdminResponse(result.Applied, result.Applied
            ? $"Reloaded {path}\n{result.Describe(includeNotes: false)}"
            : $"{path} was not applied; the running config is unchanged.\n{result.Describe()}");
    }
}

using Portico.CommandLanguage;
using Portico.Configuration;

namespace Portico.Configuration.Commands;

/// <summary><c>save ns config</c> (alias <c>save config</c>) and <c>show ns runningConfig</c>.</summary>
internal sealed class SystemCommands(TimeProvider time, SaveTracker saved) : ICommandModule
{
    public void Register(CommandRegistry r)
    {
        r.Action("save", "ns config", "Writes the running config to the config file, keeping the previous file as .bak")
            .Runs(Save);
        r.Action("save", "config", "Alias of save ns config")
            .Runs(Save);
        r.Query("show", "ns runningConfig", "Prints the running config in canonical form")
            .Runs((ctx, _) => new RunningConfigText(ConfigWriter.Write(ctx.Config, time.GetUtcNow())));
        r.Query("help", "", "Lists commands, or those starting with the given words")
            .Rest("words", Values.Words, "command words, like: add lb", required: false)
            .Runs<CommandRegistry>(registry => (_, c) => Help(registry, c));
    }

    private static CommandHelp Help(CommandRegistry registry, ParsedCommand c)
    {
        var words = c.Get<List<string>>("words", []);
        var specs = registry.Specs
            .Where(s => s.Verb != "help")
            .Where(s => words.Select((w, i) => i == 0 ? s.Verb.StartsWith(w, StringComparison.OrdinalIgnoreCase)
                : i - 1 < s.ObjectWords.Count && s.ObjectWords[i - 1].StartsWith(w, StringComparison.OrdinalIgnoreCase)).All(x => x))
            .OrderBy(s => s.Object, StringComparer.OrdinalIgnoreCase).ThenBy(s => s.Verb, StringComparer.Ordinal)
            .ToList();
        if (specs.Count == 0)
        {
            throw c.Error($"no command starts with '{string.Join(' ', words)}'");
        }

        return new CommandHelp([.. specs.Select(CommandDescription.Of)]);
    }

    private ConfigSaved Save(CommandContext ctx, ParsedCommand c)
    {
        var path = ctx.Store.ConfigPath
            ?? throw c.Error("this process runs on the embedded default config and has no config file; start it with 'portico run --config FILE' (the file may start empty) to save");
        var full = Path.GetFullPath(path);
        var temp = full + ".tmp";
        File.WriteAllText(temp, ConfigWriter.Write(ctx.Config, time.GetUtcNow()));
        if (File.Exists(full))
        {
            File.Copy(full, full + ".bak", overwrite: true);
        }

        // Rename is atomic: a crash leaves either the old file or the new one, never half of each.
        File.Move(temp, full, overwrite: true);
        saved.MarkSaved(ctx.Config);
        return new ConfigSaved(full);
    }
}

using Portico.CommandLanguage;

namespace Portico.Configuration;

/// <summary>
/// Reads a real NetScaler ns.conf leniently: every line Portico supports is applied, every line it
/// does not is kept and reported, and a line Portico cannot accept (it names a NetScaler built-in
/// object, say) is set aside with its error instead of failing the whole file.
/// </summary>
public static class ConfigImporter
{
    public static ImportReport Import(ConfigStore checker, string text, string source)
    {
        var lines = text.ReplaceLineEndings("\n").Split('\n');
        var rejected = new List<ConfigError>();
        while (true)
        {
            var plan = checker.Plan(RunningConfig.Empty, string.Join('\n', lines), source);
            if (plan.Errors.Count == 0)
            {
                var config = plan.Next ?? RunningConfig.Empty;
                var applied = plan.Commands.Count(c => c.Spec.Kind == CommandKind.Mutation) - plan.Unsupported.Count(u => plan.Commands.Any(c => c.Line == u.Line));
                return new ImportReport(config, applied, plan.Unsupported, rejected, plan.Notes);
            }

            // Set aside the lines in error (kept blank so line numbers stay true) and try again;
            // each round removes at least one line, so this ends.
            foreach (var e in plan.Errors)
            {
                if (e.Line >= 1 && e.Line <= lines.Length && lines[e.Line - 1].Length > 0)
                {
                    rejected.Add(e with { Message = e.Message + $" [{lines[e.Line - 1].Trim()}]" });
                    lines[e.Line - 1] = "";
                }
            }

            if (plan.Errors.All(e => e.Line < 1 || e.Line > lines.Length))
            {
                return new ImportReport(RunningConfig.Empty, 0, plan.Unsupported, [.. rejected, .. plan.Errors], plan.Notes);
            }
        }
    }
}

/// <summary>The outcome of an import: the config built, and every line that did not make it in, with why.</summary>
public sealed record ImportReport(
    RunningConfig Config,
    int Applied,
    IReadOnlyList<UnsupportedLine> Unsupported,
    IReadOnlyList<ConfigError> Rejected,
    IReadOnlyList<ConfigNote> Notes);

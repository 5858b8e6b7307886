using Portico.CommandLanguage;

namespace Portico.Configuration;

/// <summary>How <see cref="ConfigImporter"/> treats objects that would behave differently from their lines.</summary>
/// <param name="DisablePartial">Import them disabled (<c>portico import</c> without <c>--enable-partial</c>); false only reports them.</param>
/// <param name="CertificateDirectories">Where relative certificate paths are looked up: <c>--cert-dir</c>, then the config's folder.</param>
public sealed record ImportOptions(bool DisablePartial = true, IReadOnlyList<string>? CertificateDirectories = null);

/// <summary>
/// Reads a real NetScaler ns.conf leniently: every line Portico supports is applied, every line it does
/// not is kept and reported, and a line Portico cannot accept (it names a NetScaler built-in object, say)
/// is set aside with its error instead of failing the whole file. The report names every command line.
/// </summary>
public static class ConfigImporter
{
    public static ImportReport Import(ConfigStore checker, string text, string source, ImportOptions? options = null)
    {
        options ??= new ImportOptions();
        var original = text.ReplaceLineEndings("\n").Split('\n');
        var applyAcls = SavedAclState.ApplyLines(original);
        var lines = original.Concat(applyAcls).ToArray();
        var rejected = new Dictionary<int, ConfigError>();
        BatchPlan plan;
        while (true)
        {
            plan = checker.Plan(RunningConfig.Empty, string.Join('\n', lines), source, null, options.CertificateDirectories);
            if (plan.Errors.Count == 0)
            {
                break;
            }

            // Set aside the lines in error (kept blank so line numbers stay true) and try again;
            // each round removes at least one line, so this ends.
            var removed = 0;
            foreach (var e in plan.Errors.Where(e => e.Line >= 1 && e.Line <= lines.Length && lines[e.Line - 1].Length > 0))
            {
                rejected.TryAdd(e.Line, e);
                lines[e.Line - 1] = "";
                removed++;
            }

            if (removed == 0)
            {
                // An error with no line of its own (the whole config failed to compile): nothing applies.
                foreach (var e in plan.Errors)
                {
                    rejected.TryAdd(e.Line, e);
                }

                plan = plan with { Next = null };
                break;
            }
        }

        var config = plan.Next ?? RunningConfig.Empty;
        var notApplied = plan.Unsupported.Where(u => !u.WithoutEffect).Select(u => (u.Line, u.Text, u.Reason))
            .Concat(rejected.Values.Where(e => e.Line >= 1 && e.Line <= original.Length).Select(e => (e.Line, original[e.Line - 1], e.Message)))
            .OrderBy(x => x.Line)
            .ToList();
        var partial = PartialObjects.Find(config, notApplied);
        if (options.DisablePartial && partial.Count > 0)
        {
            config = PartialObjects.Disable(config, partial);
        }

        var reports = Classify(checker.Parser, original, plan, rejected, partial, options.DisablePartial);
        if (applyAcls.Count > 0)
        {
            reports = SavedAclState.Explain(reports);
        }

        return new ImportReport(config, reports, options.DisablePartial ? partial : []) { Partial = partial };
    }

    private static List<LineReport> Classify(CommandParser parser, string[] original, BatchPlan plan,
        Dictionary<int, ConfigError> rejected, IReadOnlyList<PartialObject> partial, bool disabled)
    {
        var unsupported = plan.Unsupported.GroupBy(u => u.Line).ToDictionary(g => g.Key, g => g.First());
        var notes = plan.Notes.GroupBy(n => n.Line).ToDictionary(g => g.Key, g => g.Select(n => n.Message).ToList());
        var commands = plan.Commands.GroupBy(c => c.Line).ToDictionary(g => g.Key, g => g.First());
        var reports = new List<LineReport>();
        for (var i = 0; i < original.Length; i++)
        {
            var n = i + 1;
            var text = original[i];
            var trimmed = text.Trim();
            if (trimmed.Length == 0 || trimmed[0] == '#')
            {
                continue;
            }

            var kind = Kind(parser, text, n, commands.GetValueOrDefault(n));
            if (rejected.TryGetValue(n, out var error))
            {
                reports.Add(new LineReport(n, text, kind, LineOutcome.Rejected, [RejectedReason(error, original, rejected)]));
            }
            else if (unsupported.TryGetValue(n, out var u) && u.WithoutEffect)
            {
                reports.Add(new LineReport(n, text, kind, LineOutcome.KeptWithoutEffect, [u.Reason]));
            }
            else if (unsupported.TryGetValue(n, out u))
            {
                reports.Add(new LineReport(n, text, kind, LineOutcome.Unsupported, [u.Reason]));
            }
            else
            {
                var messages = notes.GetValueOrDefault(n) ?? [];
                if (commands.TryGetValue(n, out var command) && DefinedObject(command) is { } defined)
                {
                    messages = [.. messages, .. partial.Where(p => p.Kind == defined.Kind && p.Name == defined.Name)
                        .Select(p => (disabled ? "imported DISABLED: " : "partial (--enable-partial): ") + p.Reason)];
                }

                reports.Add(new LineReport(n, text, kind, messages.Count == 0 ? LineOutcome.Applied : LineOutcome.KeptWithoutEffect, messages));
            }
        }

        return reports;
    }

    /// <summary>The reason of a rejected line; one that only names an object another rejected line defines cites that line.</summary>
    private static string RejectedReason(ConfigError error, string[] original, Dictionary<int, ConfigError> rejected)
    {
        if (UnsupportedReferences.IsMissingReference(error))
        {
            foreach (var (line, cause) in rejected.OrderBy(r => r.Key))
            {
                if (line != error.Line && line >= 1 && line <= original.Length && UnsupportedReferences.DefinedName(original[line - 1]) == error.Word)
                {
                    return $"refers to '{error.Word}', which line {line} defines but was set aside: {cause.Message}";
                }
            }
        }

        return error.Column > 0 ? $"column {error.Column}: '{error.Word}': {error.Message}" : error.Message;
    }

    /// <summary>The object an <c>add</c> line creates, for attaching "imported disabled" to it.</summary>
    private static (string Kind, string Name)? DefinedObject(ParsedCommand command)
    {
        if (!command.Spec.Verb.Equals("add", StringComparison.OrdinalIgnoreCase) || command.Spec.Positionals.Count == 0)
        {
            return null;
        }

        var first = command.Spec.Positionals[0].Name;
        return command.Has(first) && command.Get<object>(first) is string name ? (command.Spec.Object, name) : null;
    }

    /// <summary>The object kind of a line: <c>lb vserver</c> for <c>bind lb vserver ...</c>, <c>cs vserver</c>, <c>route</c>.</summary>
    private static string Kind(CommandParser parser, string text, int line, ParsedCommand? command)
    {
        if (command is not null)
        {
            return command.Spec.Object;
        }

        try
        {
            if (parser.Parse(text, line) is ParseOutcome.Command c)
            {
                return c.Parsed.Spec.Object;
            }
        }
        catch (ConfigErrorException)
        {
            // Fall back to the words themselves.
        }

        try
        {
            var words = Tokenizer.Split(text, line).Skip(1).TakeWhile(t => !t.IsOption && !t.Quoted).Select(t => t.Text).ToList();
            return NetScalerCatalog.UnsupportedObject(words) ?? (words.Count > 0 ? words[0] : "?");
        }
        catch (ConfigErrorException)
        {
            return "?";
        }
    }
}

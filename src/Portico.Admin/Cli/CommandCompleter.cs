using Portico.Configuration;

namespace Portico.Admin.Cli;

/// <summary>
/// Completes the command language for the line editor: verb and object words, then the command's option names
/// (<c>-lbM</c> to <c>-lbMethod</c>), and the name of the object the command is about (<c>show lb vserver w</c> to the
/// vservers of the running config, through <paramref name="names"/>: object kind to names).
/// </summary>
public sealed class CommandCompleter(CommandRegistry registry, Func<string, IReadOnlyList<string>>? names = null)
{
    public IReadOnlyList<string> Complete(string head)
    {
        var words = head.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList();
        var partial = head.EndsWith(' ') || words.Count == 0 ? "" : words[^1];
        var done = head.EndsWith(' ') ? words : words.Take(words.Count - 1).ToList();
        var candidates = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var spec in registry.Specs)
        {
            var full = new[] { spec.Verb }.Concat(spec.ObjectWords).ToList();
            var matched = done.Take(full.Count).Select((w, i) => full[i].Equals(w, StringComparison.OrdinalIgnoreCase)).All(x => x);
            if (!matched)
            {
                continue;
            }

            if (done.Count < full.Count)
            {
                candidates.Add(full[done.Count]);
            }
            else if (partial.StartsWith('-'))
            {
                // Options not yet on the line; the ones Portico acts on (kept NetScaler options are accepted, not offered).
                var used = done.Skip(full.Count).Where(w => w.StartsWith('-')).Select(w => w[1..]).ToHashSet(StringComparer.OrdinalIgnoreCase);
                candidates.UnionWith(spec.Options.Where(o => !used.Contains(o.Name)).Select(o => "-" + o.Name));
            }
            else if (done.Count == full.Count && spec.Verb != "add" && spec.Positionals.Count > 0 && names is not null)
            {
                // The first positional of every command but add names an existing object of the command's kind.
                candidates.UnionWith(names(spec.Object));
            }
        }

        return [.. candidates.Where(c => c.StartsWith(partial, StringComparison.OrdinalIgnoreCase)).Order(StringComparer.OrdinalIgnoreCase)];
    }
}

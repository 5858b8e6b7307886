using Portico.CommandLanguage;
using Portico.Configuration;

namespace Portico.Admin.Cli;

/// <summary>Completes the verb and object words of the command language for the line editor.</summary>
public sealed class CommandCompleter(CommandRegistry registry)
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
            if (done.Count < full.Count && done.Select((w, i) => full[i].Equals(w, StringComparison.OrdinalIgnoreCase)).All(x => x))
            {
                candidates.Add(full[done.Count]);
            }
        }

        return [.. candidates.Where(c => c.StartsWith(partial, StringComparison.OrdinalIgnoreCase)).Order(StringComparer.OrdinalIgnoreCase)];
    }
}

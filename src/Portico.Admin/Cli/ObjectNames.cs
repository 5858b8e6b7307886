using Portico.CommandLanguage;
using Portico.Configuration;

namespace Portico.Admin.Cli;

/// <summary>
/// The names of the running config's objects by kind, for Tab completion (<c>show lb vserver w&lt;Tab&gt;</c>): read
/// from <c>show ns runningConfig</c>, where every object has its <c>add</c> line with its name first.
/// </summary>
public static class ObjectNames
{
    /// <summary>Object kind (<c>lb vserver</c>) to the names its <c>add</c> lines give, in file order.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> Parse(string runningConfig, CommandRegistry registry)
    {
        // Longest object first: "add lb monitor metric" must not read as "add lb monitor" named "metric".
        var kinds = registry.Specs.Where(s => s.Verb == "add" && s.ObjectWords.Count > 0 && s.Positionals.Count > 0)
            .Select(s => s.ObjectWords).OrderByDescending(w => w.Count).ToList();
        var names = new Dictionary<string, List<string>>(StringComparer.OrdinalIgnoreCase);
        var number = 0;
        foreach (var line in runningConfig.ReplaceLineEndings("\n").Split('\n'))
        {
            number++;
            if (!line.StartsWith("add ", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            List<Token> tokens;
            try
            {
                tokens = Tokenizer.Split(line, number);
            }
            catch (ConfigErrorException)
            {
                continue;
            }

            var kind = kinds.FirstOrDefault(k => tokens.Count > k.Count + 1
                && k.Select((w, i) => tokens[i + 1].Text.Equals(w, StringComparison.OrdinalIgnoreCase)).All(x => x));
            if (kind is not null)
            {
                var key = string.Join(' ', kind);
                if (!names.TryGetValue(key, out var list))
                {
                    names[key] = list = [];
                }

                list.Add(tokens[kind.Count + 1].Text);
            }
        }

        return names.ToDictionary(n => n.Key, n => (IReadOnlyList<string>)n.Value, StringComparer.OrdinalIgnoreCase);
    }
}

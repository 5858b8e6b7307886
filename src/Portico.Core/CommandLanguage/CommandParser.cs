
namespace Portico.CommandLanguage;

/// <summary>
/// Reads one line of the command language: verb, object, positional arguments and <c>-options</c>.
/// Keywords are matched without regard to case and may be abbreviated to any unambiguous prefix
/// (<c>sh lb vs</c>, <c>-lbMeth</c>), as NetScaler's CLI allows.
/// </summary>
public sealed class CommandParser(ICommandCatalog catalog)
{
    public ICommandCatalog Catalog { get; } = catalog;

    public ParseOutcome Parse(string text, int line)
    {
        var tokens = Tokenizer.Split(text, line);
        if (tokens.Count == 0)
        {
            return new ParseOutcome.Empty();
        }

        var verbToken = tokens[0];
        var verb = ResolveVerb(verbToken, line);
        if (verb is null)
        {
            return new ParseOutcome.Unsupported(line, text, $"the NetScaler verb '{verbToken.Text}' is not supported by Portico");
        }

        var candidates = Catalog.Commands.Where(s => s.Verb.Equals(verb, StringComparison.OrdinalIgnoreCase)).ToList();
        var (spec, used) = ResolveObject(candidates, tokens, line);
        if (spec is null && tokens.Count > 1 && !tokens[1].IsOption && !tokens[1].Text.Equals("ns", StringComparison.OrdinalIgnoreCase))
        {
            // NetScaler's CLI lets the "ns" group be left out: "add simpleacl", "show acl", "renumber acls".
            List<Token> withNs = [tokens[0], new Token("ns", tokens[1].Column, Quoted: false), .. tokens.Skip(1)];
            var nsObjects = candidates.Where(c => c.ObjectWords.Count > 1 && c.ObjectWords[0].Equals("ns", StringComparison.OrdinalIgnoreCase)).ToList();
            var (nsSpec, nsUsed) = ResolveObject(nsObjects, withNs, line);
            if (nsSpec is not null)
            {
                (tokens, spec, used) = (withNs, nsSpec, nsUsed);
            }
        }

        if (spec is null)
        {
            var words = ObjectWords(tokens);
            // As for supported objects, the "ns" group may be left out: "set tcpbufParam" is "set ns tcpbufParam".
            if ((NetScalerCatalog.UnsupportedObject(words) ?? NsObject(words)) is { } unsupported)
            {
                return new ParseOutcome.Unsupported(line, text, $"'{verb} {unsupported}' is not supported by Portico");
            }

            throw UnknownObject(verb, candidates, tokens, line);
        }

        try
        {
            return new ParseOutcome.Command(ReadArguments(spec, tokens, used, line, text));
        }
        catch (UnsupportedValueException e)
        {
            return new ParseOutcome.Unsupported(line, text, e.Message);
        }
    }

    private string? ResolveVerb(Token token, int line)
    {
        var verbs = Catalog.Commands.Select(s => s.Verb).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var exact = verbs.FirstOrDefault(v => v.Equals(token.Text, StringComparison.OrdinalIgnoreCase));
        if (exact is not null)
        {
            return exact;
        }

        if (NetScalerCatalog.Verbs.Contains(token.Text))
        {
            return null;
        }

        var prefixed = verbs.Where(v => v.StartsWith(token.Text, StringComparison.OrdinalIgnoreCase)).ToList();
        if (prefixed.Count == 1)
        {
            return prefixed[0];
        }

        var message = prefixed.Count > 1
            ? $"ambiguous command; it could be {string.Join(", ", prefixed)}"
            : $"unknown command; expected one of {string.Join(", ", verbs.Order(StringComparer.Ordinal))}{Hint(token.Text, verbs)}";
        throw new ConfigErrorException(new ConfigError(line, token.Column, token.Text, message));
    }

    private static (CommandSyntax? Spec, int Used) ResolveObject(List<CommandSyntax> candidates, List<Token> tokens, int line)
    {
        var matches = new List<(CommandSyntax Spec, bool Exact)>();
        foreach (var spec in candidates)
        {
            var words = spec.ObjectWords;
            if (tokens.Count - 1 < words.Count)
            {
                continue;
            }

            var all = true;
            var exact = true;
            for (var i = 0; i < words.Count && all; i++)
            {
                var t = tokens[i + 1];
                if (t.IsOption || t.Quoted || !words[i].StartsWith(t.Text, StringComparison.OrdinalIgnoreCase))
                {
                    all = false;
                }
                else if (words[i].Length != t.Text.Length)
                {
                    exact = false;
                }
            }

            if (all)
            {
                matches.Add((spec, exact));
            }
        }

        if (matches.Count == 0)
        {
            return (null, 0);
        }

        // An exact spelling beats abbreviations ("service" is not short for "serviceGroup"); among
        // exact matches the longest object wins.
        var exactMatches = matches.Where(m => m.Exact).ToList();
        if (exactMatches.Count > 0)
        {
            var best = exactMatches.MaxBy(m => m.Spec.ObjectWords.Count).Spec;
            return (best, best.ObjectWords.Count + 1);
        }

        var longest = matches.Max(m => m.Spec.ObjectWords.Count);
        var top = matches.Where(m => m.Spec.ObjectWords.Count == longest).ToList();
        if (top.Count == 1)
        {
            return (top[0].Spec, longest + 1);
        }

        var t1 = tokens[1];
        throw new ConfigErrorException(new ConfigError(line, t1.Column, string.Join(' ', tokens.Skip(1).Take(longest).Select(t => t.Text)),
            $"ambiguous; it could be {string.Join(", ", top.Select(m => m.Spec.FullName))}"));
    }

    private static string? NsObject(List<string> words) =>
        words.Count > 0 && NetScalerCatalog.UnsupportedObject(["ns", .. words]) is { } ns && ns.StartsWith("ns ", StringComparison.OrdinalIgnoreCase) ? ns : null;

    private static List<string> ObjectWords(List<Token> tokens) =>
        tokens.Skip(1).TakeWhile(t => !t.IsOption && !t.Quoted).Take(3).Select(t => t.Text).ToList();

    private static ConfigErrorException UnknownObject(string verb, List<CommandSyntax> candidates, List<Token> tokens, int line)
    {
        if (tokens.Count < 2)
        {
            var end = tokens[0].Column + tokens[0].Text.Length;
            return new ConfigErrorException(new ConfigError(line, end, "", $"'{verb}' needs an object; expected one of {Objects(candidates)}"));
        }

        var t = tokens[1];
        var typed = string.Join(' ', ObjectWords(tokens).Take(2));
        var hint = Hint(typed, candidates.Select(c => c.Object));
        return new ConfigErrorException(new ConfigError(line, t.Column, typed,
            $"unknown object for '{verb}'{(hint.Length > 0 ? hint : $"; expected one of {Objects(candidates)}")}"));
    }

    private static string Objects(IEnumerable<CommandSyntax> specs) =>
        string.Join(", ", specs.Select(s => s.Object).Where(o => o.Length > 0).Distinct().Order(StringComparer.OrdinalIgnoreCase));

    private static string Hint(string word, IEnumerable<string> candidates)
    {
        var close = Suggestions.Closest(word, candidates).ToList();
        return close.Count == 0 ? "" : $"; did you mean {string.Join(" or ", close)}?";
    }

    private static ParsedCommand ReadArguments(CommandSyntax spec, List<Token> tokens, int start, int line, string text)
    {
        var values = new Dictionary<string, (object, Token)>(StringComparer.OrdinalIgnoreCase);
        var kept = new List<KeptOption>();
        var notes = new List<string>();
        var positional = 0;
        var i = start;
        while (i < tokens.Count)
        {
            var token = tokens[i];
            if (!token.IsOption)
            {
                if (positional >= spec.Positionals.Count)
                {
                    throw new ConfigErrorException(new ConfigError(line, token.Column, token.Text, TooMany(spec)));
                }

                var p = spec.Positionals[positional++];
                if (p.TakesRest)
                {
                    var rest = new List<Token>();
                    while (i < tokens.Count && !tokens[i].IsOption)
                    {
                        rest.Add(tokens[i++]);
                    }

                    values[p.Name] = (ParseValue(p, rest, token, line), token);
                    continue;
                }

                values[p.Name] = (ParseValue(p, [token], token, line), token);
                i++;
                continue;
            }

            var words = new List<Token>();
            var j = i + 1;
            while (j < tokens.Count && !tokens[j].IsOption)
            {
                words.Add(tokens[j++]);
            }

            var (param, keptName) = ResolveOption(spec, token, line);
            if (param is not null)
            {
                if (values.ContainsKey(param.Name))
                {
                    throw new ConfigErrorException(new ConfigError(line, token.Column, token.Text, $"-{param.Name} is given twice"));
                }

                try
                {
                    values[param.Name] = (ParseValue(param, words, token, line), words.Count > 0 ? words[0] : token);
                }
                catch (UnsupportedValueException e)
                {
                    // An option value Portico lacks (a persistence type, an LB method) must not sink the
                    // whole object: keep the option as written, act without it, and say so.
                    kept.Add(new KeptOption(param.Name, words.Select(w => w.Text).ToList()));
                    notes.Add($"{e.Message}; -{param.Name} is kept but has no effect");
                }
            }
            else
            {
                kept.Add(new KeptOption(keptName!, words.Select(w => w.Text).ToList()));
            }

            i = j;
        }

        if (positional < spec.Positionals.Count)
        {
            var missing = spec.Positionals.Skip(positional).FirstOrDefault(p => p.Required && !values.ContainsKey(p.Name));
            if (missing is not null)
            {
                throw new ConfigErrorException(new ConfigError(line, text.TrimEnd().Length + 1, "",
                    $"'{spec.FullName}' expects <{missing.Name}> ({missing.Help}) here; usage: {spec.Synopsis}"));
            }
        }

        return new ParsedCommand(spec, line, text, tokens[0], values, kept) { Notes = notes };
    }

    private static (ParameterSpec? Param, string? Kept) ResolveOption(CommandSyntax spec, Token token, int line)
    {
        var name = token.OptionName;
        var all = spec.Options.Concat(spec.Positionals).ToList();
        var exact = all.FirstOrDefault(o => o.Name.Equals(name, StringComparison.OrdinalIgnoreCase));
        if (exact is not null)
        {
            return (exact, null);
        }

        var keptExact = spec.KeptOptions.FirstOrDefault(k => k.Equals(name, StringComparison.OrdinalIgnoreCase));
        if (keptExact is not null)
        {
            return (null, keptExact);
        }

        if (spec.Kind == CommandKind.Mutation && name.Equals(SavedConfigAttributes.DeviceNumber, StringComparison.OrdinalIgnoreCase))
        {
            return (null, SavedConfigAttributes.DeviceNumber);
        }

        var prefixed = all.Where(o => o.Name.StartsWith(name, StringComparison.OrdinalIgnoreCase)).Select(o => o.Name)
            .Concat(spec.KeptOptions.Where(k => k.StartsWith(name, StringComparison.OrdinalIgnoreCase)))
            .ToList();
        if (prefixed.Count == 1)
        {
            var p = all.FirstOrDefault(o => o.Name == prefixed[0]);
            return p is not null ? (p, null) : (null, prefixed[0]);
        }

        var names = all.Select(o => o.Name).ToList();
        var message = prefixed.Count > 1
            ? $"ambiguous option; it could be {string.Join(", ", prefixed.Select(p => "-" + p))}"
            : $"unknown option for '{spec.FullName}'{OptionHint(name, names)}";
        throw new ConfigErrorException(new ConfigError(line, token.Column, token.Text, message));
    }

    private static string OptionHint(string name, List<string> names)
    {
        var close = Suggestions.Closest(name, names).ToList();
        if (close.Count > 0)
        {
            return $"; did you mean {string.Join(" or ", close.Select(c => "-" + c))}?";
        }

        return names.Count == 0 ? "; it takes no options" : $"; expected one of {string.Join(", ", names.Select(n => "-" + n))}";
    }

    private static string TooMany(CommandSyntax spec) =>
        spec.Positionals.Count == 0
            ? $"unexpected word; '{spec.FullName}' takes no positional arguments (options start with -)"
            : $"unexpected word; '{spec.FullName}' takes {spec.Positionals.Count} positional argument(s): {string.Join(" ", spec.Positionals.Select(p => $"<{p.Name}>"))}";

    private static object ParseValue(ParameterSpec param, List<Token> words, Token at, int line)
    {
        try
        {
            return param.Parser(words);
        }
        catch (ValueException e)
        {
            var word = e.Index >= 0 && e.Index < words.Count ? words[e.Index] : at;
            var column = e.Index >= words.Count && words.Count > 0 ? words[^1].Column : word.Column;
            var what = at.IsOption ? $"-{param.Name}" : $"<{param.Name}>";
            return e.Index < 0 || e.Index >= words.Count
                ? throw new ConfigErrorException(new ConfigError(line, column, at.Text, $"{e.Message} for {what}"))
                : throw new ConfigErrorException(new ConfigError(line, word.Column, word.Text, $"{e.Message} for {what}"));
        }
    }
}

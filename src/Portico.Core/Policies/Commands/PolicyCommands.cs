using System.Text;
using Portico.CommandLanguage;
using Portico.Configuration;
using Portico.Policies.Expressions;

namespace Portico.Policies.Commands;

/// <summary>
/// What every kind of policy shares: <c>add|rm|bind|unbind|show policy patset</c>, <c>add|set|rm|show policy
/// expression</c>, and the section of every policy binding, written after the policies themselves.
/// </summary>
internal sealed class PolicyCommands(ExpressionContexts contexts, IEnumerable<IPolicyKind> kinds) : ICommandModule
{
    public void Register(CommandRegistry r)
    {
        r.Sections.Add(PolicySections.Patsets, ConfigRank.Policies + 35, PolicyObjectLines.Patsets);
        r.Sections.Add(PolicySections.NamedExpressions, ConfigRank.Policies + 36, PolicyObjectLines.NamedExpressions);
        r.Sections.Add(PolicySections.Bindings, ConfigRank.Policies + 90, PolicyBindingLines.Write);

        r.Mutation("add", "policy patset", "Adds a pattern set for CONTAINS_ANY, EQUALS_ANY, STARTSWITH_ANY and ENDSWITH_ANY")
            .Positional("name", Values.Name, "the set's name")
            .Option("comment", Values.Text, "free text")
            .Keeps("dynamic", "dynamicOnly", "patsetfile")
            .Applies((b, c) =>
            {
                var name = c.Get<string>("name");
                if (b.PolicyPatsets.ContainsKey(name))
                {
                    throw c.Error("name", $"policy patset '{name}' already exists");
                }

                b.PolicyPatsets.Add(name, new PolicyPatset(name, [], c.MaybeRef<string>("comment")));
            });

        r.Mutation("rm", "policy patset", "Removes a pattern set no rule uses")
            .Positional("name", Values.Name, "the set's name")
            .Applies((b, c) =>
            {
                var name = Require(b, c).Name;
                Unused(b, c, name, "policy patset");
                b.PolicyPatsets.Remove(name);
            });

        r.Mutation("bind", "policy patset", "Adds a pattern to a set; the rules using the set follow at once")
            .Positional("name", Values.Name, "the set's name")
            .Positional("string", Values.Text, "the pattern")
            .Option("index", Values.Int(1, 4_294_967_290), "the pattern's place (lower first)")
            .Option("comment", Values.Text, "free text")
            .Keeps("charset", "feature")
            .Applies((b, c) =>
            {
                var set = Require(b, c);
                var text = c.Get<string>("string");
                if (text.Length == 0)
                {
                    throw c.Error("string", "a pattern cannot be empty");
                }

                if (set.Patterns.Any(p => p.Text == text))
                {
                    throw c.Error("string", $"'{text}' is already in policy patset '{set.Name}'");
                }

                var index = (int?)c.Maybe<long>("index");
                if (index is not null && set.Patterns.Any(p => p.Index == index))
                {
                    throw c.Error("index", $"index {index} is taken in policy patset '{set.Name}'");
                }

                b.PolicyPatsets[set.Name] = set with { Patterns = set.Patterns.Add(new PatsetPattern(text, index, c.MaybeRef<string>("comment"))) };
            });

        r.Mutation("unbind", "policy patset", "Removes a pattern from a set")
            .Positional("name", Values.Name, "the set's name")
            .Positional("string", Values.Text, "the pattern")
            .Applies((b, c) =>
            {
                var set = Require(b, c);
                var text = c.Get<string>("string");
                var pattern = set.Patterns.FirstOrDefault(p => p.Text == text) ?? throw c.Error("string", $"'{text}' is not in policy patset '{set.Name}'");
                b.PolicyPatsets[set.Name] = set with { Patterns = set.Patterns.Remove(pattern) };
            });

        r.Query("show", "policy patset", "Lists pattern sets with their patterns in order")
            .Positional("name", Values.Name, "a set's name", required: false)
            .Runs((ctx, c) =>
            {
                var name = c.MaybeRef<string>("name");
                var sets = ctx.Config.PolicyPatsets.Where(p => name is null || p.Name == name).ToList();
                return name is not null && sets.Count == 0 ? throw c.Error("name", $"no policy patset named '{name}'")
                    : new PatsetList([.. sets.Select(p => new PatsetView(p.Name, p.InOrder, p.Comment))]);
            });

        r.Mutation("add", "policy expression", "Adds a named expression that rules and other named expressions use by name")
            .Positional("name", Values.Name, "the expression's name")
            .Positional("value", Values.Text, "the expression")
            .Option("comment", Values.Text, "free text")
            .Keeps("clientSecurityMessage", "description", "type")
            .Applies((b, c) =>
            {
                var name = c.Get<string>("name");
                if (b.PolicyExpressions.ContainsKey(name))
                {
                    throw c.Error("name", $"policy expression '{name}' already exists");
                }

                if (Roots.IsReserved(name))
                {
                    throw c.Error("name", $"'{name}' is a word of the expression language; name the expression otherwise");
                }

                Expressions.Check(c, "value", c.Get<string>("value"), contexts.For(b), rule: false, response: true);
                b.PolicyExpressions.Add(name, new PolicyExpression(name, c.Get<string>("value"), c.MaybeRef<string>("comment")));
            });

        r.Mutation("set", "policy expression", "Changes a named expression; the rules using it follow at once")
            .Positional("name", Values.Name, "the expression's name")
            .Positional("value", Values.Text, "the expression")
            .Option("comment", Values.Text, "free text")
            .Applies((b, c) =>
            {
                var name = c.Get<string>("name");
                var e = b.PolicyExpressions.TryGetValue(name, out var found) ? found : throw c.Error("name", $"no policy expression named '{name}'");
                var value = c.Get<string>("value");
                Expressions.Check(c, "value", value, contexts.Without(b, name), rule: false, response: true);
                b.PolicyExpressions[name] = e with { Value = value, Comment = c.MaybeRef<string>("comment") ?? e.Comment };
                StillCompiles(b, c, "value");
            });

        r.Mutation("rm", "policy expression", "Removes a named expression no rule uses")
            .Positional("name", Values.Name, "the expression's name")
            .Applies((b, c) =>
            {
                var name = c.Get<string>("name");
                if (!b.PolicyExpressions.ContainsKey(name))
                {
                    throw c.Error("name", $"no policy expression named '{name}'");
                }

                Unused(b, c, name, "policy expression");
                b.PolicyExpressions.Remove(name);
            });

        r.Query("show", "policy expression", "Lists named expressions")
            .Positional("name", Values.Name, "an expression's name", required: false)
            .Runs((ctx, c) =>
            {
                var name = c.MaybeRef<string>("name");
                var list = ctx.Config.PolicyExpressions.Where(e => name is null || e.Name == name).ToList();
                return name is not null && list.Count == 0 ? throw c.Error("name", $"no policy expression named '{name}'")
                    : new NamedExpressionList([.. list.Select(e => new NamedExpressionView(e.Name, e.Value, e.Comment))]);
            });
    }

    private static PolicyPatset Require(ConfigBuilder b, ParsedCommand c)
    {
        var name = c.Get<string>("name");
        return b.PolicyPatsets.TryGetValue(name, out var set) ? set : throw c.Error("name", $"no policy patset named '{name}'");
    }

    /// <summary>Refuses to remove a set or named expression a rule or another named expression still uses.</summary>
    private void Unused(ConfigBuilder b, ParsedCommand c, string name, string what)
    {
        var without = contexts.Without(b, name);
        foreach (var (owner, expression) in Uses(b))
        {
            if (!Compiles(expression, without))
            {
                throw c.Error("name", $"{what} '{name}' is used by {owner}; change or remove that first");
            }
        }
    }

    /// <summary>A named expression changed: every rule that uses it must still compile.</summary>
    private void StillCompiles(ConfigBuilder b, ParsedCommand c, string parameter)
    {
        var context = contexts.For(b);
        foreach (var (owner, expression) in Uses(b))
        {
            if (!Compiles(expression, context))
            {
                throw c.Error(parameter, $"{owner} no longer compiles with this value; change it first");
            }
        }
    }

    private IEnumerable<(string Owner, string Expression)> Uses(ConfigBuilder b) =>
        kinds.SelectMany(k => k.Expressions(b)).Concat(b.PolicyExpressions.Values.Select(e => ($"policy expression {e.Name}", e.Value)));

    private static bool Compiles(string expression, ExpressionContext context)
    {
        try
        {
            ExpressionCompiler.Compile(expression, context);
            return true;
        }
        catch (Exception e) when (e is ExpressionException or UnsupportedExpressionException)
        {
            return e is UnsupportedExpressionException;
        }
    }
}

public sealed record PatsetView(string Name, IReadOnlyList<string> Patterns, string? Comment);

public sealed record PatsetList(IReadOnlyList<PatsetView> Sets) : IQueryResult
{
    public string ToText()
    {
        var sb = new StringBuilder($"{Sets.Count} policy patset(s)\n");
        foreach (var s in Sets)
        {
            sb.Append($"{s.Name}\t{s.Patterns.Count} pattern(s)\n");
            foreach (var p in s.Patterns)
            {
                sb.Append($"\t{p}\n");
            }
        }

        return sb.ToString();
    }
}

public sealed record NamedExpressionView(string Name, string Value, string? Comment);

public sealed record NamedExpressionList(IReadOnlyList<NamedExpressionView> Expressions) : IQueryResult
{
    public string ToText() => $"{Expressions.Count} policy expression(s)\n" + string.Concat(Expressions.Select(e => $"{e.Name}\t{e.Value}\n"));
}

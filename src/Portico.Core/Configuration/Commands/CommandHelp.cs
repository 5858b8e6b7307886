namespace Portico.Configuration.Commands;

/// <summary><c>help [words]</c>: the commands that start with the words; three or fewer are described in full.</summary>
internal sealed record CommandHelp(IReadOnlyList<CommandDescription> Commands) : IQueryResult
{
    public string ToText() =>
        Commands.Count <= 3
            ? string.Concat(Commands.Select(Describe))
            : string.Concat(Commands.Select(s => $"{s.Name,-32} {s.Summary}\n"));

    private static string Describe(CommandDescription s)
    {
        var lines = new List<string> { s.Synopsis, "    " + s.Summary };
        lines.AddRange(s.Positionals.Select(p => $"      <{p.Name}>: {p.Help}"));
        lines.AddRange(s.Options.Select(p => $"      -{p.Name}: {p.Help}"));
        return string.Join('\n', lines) + "\n";
    }
}

/// <summary>One command of the language, as <c>help</c> describes it.</summary>
/// <param name="Name">Verb and object: <c>add lb vserver</c>.</param>
internal sealed record CommandDescription(string Name, string Synopsis, string Summary, IReadOnlyList<ParameterHelp> Positionals, IReadOnlyList<ParameterHelp> Options)
{
    public static CommandDescription Of(CommandSpec s) =>
        new(s.FullName, s.Synopsis, s.Summary, [.. s.Positionals.Select(p => new ParameterHelp(p.Name, p.Help))], [.. s.Options.Select(p => new ParameterHelp(p.Name, p.Help))]);
}

/// <summary>A positional argument or an option, and what it means.</summary>
internal sealed record ParameterHelp(string Name, string Help);

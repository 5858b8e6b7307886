using Portico.CommandLanguage;

namespace Portico.Configuration;

/// <summary>Runs a query or action command and returns what it found, as data the CLI renders as text.</summary>
public delegate ValueTask<IQueryResult> CommandRunner(CommandContext context, ParsedCommand command, CancellationToken cancellationToken);

/// <summary>
/// A command of the language bound to what it does: a mutation of the batch's
/// <see cref="ConfigBuilder"/>, or a query or action run against the live system.
/// </summary>
public sealed class CommandSpec : CommandSyntax
{
    internal CommandSpec(string verb, string obj, string summary, CommandKind kind,
        IReadOnlyList<ParameterSpec> positionals, IReadOnlyList<ParameterSpec> options, IReadOnlySet<string> keptOptions,
        Action<ConfigBuilder, ParsedCommand>? mutate, CommandRunner? run)
        : base(verb, obj, summary, kind, positionals, options, keptOptions)
    {
        Mutate = mutate;
        Run = run;
    }

    public Action<ConfigBuilder, ParsedCommand>? Mutate { get; }

    public CommandRunner? Run { get; }

    /// <summary>The spec a parsed line was read with: every line is parsed against the registry's specs.</summary>
    public static CommandSpec Of(ParsedCommand command) => (CommandSpec)command.Spec;
}

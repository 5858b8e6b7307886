using Portico.CommandLanguage;

namespace Portico.Configuration;

/// <summary>Declares a command fluently, the way each concern registers its own commands.</summary>
public sealed class CommandSpecBuilder
{
    private readonly CommandRegistry _registry;
    private readonly string _verb;
    private readonly string _object;
    private readonly string _summary;
    private readonly CommandKind _kind;
    private readonly List<ParameterSpec> _positionals = [];
    private readonly List<ParameterSpec> _options = [];
    private readonly HashSet<string> _kept = new(StringComparer.OrdinalIgnoreCase);

    internal CommandSpecBuilder(CommandRegistry registry, string verb, string obj, string summary, CommandKind kind)
    {
        _registry = registry;
        _verb = verb;
        _object = obj;
        _summary = summary;
        _kind = kind;
    }

    /// <summary>A positional argument; required ones must come before optional ones.</summary>
    public CommandSpecBuilder Positional(string name, ValueParser parser, string help, bool required = true)
    {
        if (required && _positionals.Count > 0 && !_positionals[^1].Required)
        {
            throw new InvalidOperationException($"{_verb} {_object}: required positional {name} after an optional one");
        }

        _positionals.Add(new ParameterSpec(name, parser, required, help));
        return this;
    }

    /// <summary>A last positional that takes every remaining word (<c>enable ns mode USIP L3</c>).</summary>
    public CommandSpecBuilder Rest(string name, ValueParser parser, string help, bool required = true)
    {
        _positionals.Add(new ParameterSpec(name, parser, required, help) { TakesRest = true });
        return this;
    }

    /// <summary>An option Portico acts on.</summary>
    public CommandSpecBuilder Option(string name, ValueParser parser, string help)
    {
        _options.Add(new ParameterSpec(name, parser, false, help));
        return this;
    }

    /// <summary>Valid NetScaler options that Portico keeps and writes back but does not act on.</summary>
    public CommandSpecBuilder Keeps(params string[] names)
    {
        _kept.UnionWith(names);
        return this;
    }

    /// <summary>Finishes a mutation command.</summary>
    public void Applies(Action<ConfigBuilder, ParsedCommand> mutate) => Add(mutate, null);

    /// <summary>Finishes a query or action command.</summary>
    public void Runs(CommandRunner run) => Add(null, run);

    /// <summary>Finishes a query or action command whose work is synchronous and needs no service.</summary>
    public void Runs(Func<CommandContext, ParsedCommand, IQueryResult> run) =>
        Add(null, (ctx, cmd, _) => ValueTask.FromResult(run(ctx, cmd)));

    /// <summary>
    /// Finishes a query or action command run by a handler that takes its services in its constructor:
    /// <c>.Runs&lt;VserverQueries&gt;(q =&gt; q.Show)</c>. The handler is built when the command runs, not when
    /// the module registers: the grammar exists before the engine does (the store parses with it), so a
    /// module cannot take the engine's services itself without a construction cycle.
    /// </summary>
    public void Runs<THandler>(Func<THandler, Func<CommandContext, ParsedCommand, IQueryResult>> run) where THandler : class =>
        Add(null, (ctx, cmd, _) => ValueTask.FromResult(run(ctx.Activate<THandler>())(ctx, cmd)));

    private void Add(Action<ConfigBuilder, ParsedCommand>? mutate, CommandRunner? run) =>
        _registry.Add(new CommandSpec(_verb, _object, _summary, _kind, _positionals, _options, _kept, mutate, run));
}

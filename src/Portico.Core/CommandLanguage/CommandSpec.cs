using Portico.Configuration;

namespace Portico.CommandLanguage;

/// <summary>What a command does with the running system.</summary>
public enum CommandKind
{
    /// <summary>Changes the configuration; applied with the rest of its batch, all or nothing.</summary>
    Mutation,

    /// <summary>Reads state (<c>show</c>, <c>stat</c>); runs after the batch's mutations applied.</summary>
    Query,

    /// <summary>Acts on the running system without changing the model (<c>save config</c>).</summary>
    Action,
}

/// <summary>Runs a query or action command and returns the text shown to the operator.</summary>
public delegate ValueTask<string> CommandRunner(CommandContext context, ParsedCommand command, CancellationToken cancellationToken);

/// <summary>
/// One command of the language: a verb, an object (<c>lb vserver</c>), its positional arguments and
/// options, and what it does. Options listed in <see cref="KeptOptions"/> are valid NetScaler options
/// that Portico accepts, keeps and writes back, but does not act on; they are reported as such.
/// </summary>
public sealed class CommandSpec
{
    internal CommandSpec(string verb, string obj, string summary, CommandKind kind,
        IReadOnlyList<ParameterSpec> positionals, IReadOnlyList<ParameterSpec> options, IReadOnlySet<string> keptOptions,
        Action<ConfigBuilder, ParsedCommand>? mutate, CommandRunner? run)
    {
        Verb = verb;
        Object = obj;
        ObjectWords = obj.Length == 0 ? [] : obj.Split(' ');
        Summary = summary;
        Kind = kind;
        Positionals = positionals;
        Options = options;
        KeptOptions = keptOptions;
        Mutate = mutate;
        Run = run;
    }

    public string Verb { get; }

    public string Object { get; }

    public IReadOnlyList<string> ObjectWords { get; }

    public string Summary { get; }

    public CommandKind Kind { get; }

    public IReadOnlyList<ParameterSpec> Positionals { get; }

    public IReadOnlyList<ParameterSpec> Options { get; }

    public IReadOnlySet<string> KeptOptions { get; }

    public Action<ConfigBuilder, ParsedCommand>? Mutate { get; }

    public CommandRunner? Run { get; }

    /// <summary><c>add lb vserver</c>.</summary>
    public string FullName => Object.Length == 0 ? Verb : $"{Verb} {Object}";

    /// <summary>A one-line synopsis: <c>add lb vserver &lt;name&gt; &lt;serviceType&gt; [-lbMethod ...]</c>.</summary>
    public string Synopsis
    {
        get
        {
            var parts = new List<string> { FullName };
            parts.AddRange(Positionals.Select(p => p.Required ? $"<{p.Name}>" : $"[<{p.Name}>]"));
            parts.AddRange(Options.Select(o => $"[-{o.Name}]"));
            return string.Join(' ', parts);
        }
    }
}

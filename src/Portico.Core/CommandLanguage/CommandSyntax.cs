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

/// <summary>
/// The grammar of one command: a verb, an object (<c>lb vserver</c>), its positional arguments and
/// options. Options listed in <see cref="KeptOptions"/> are valid NetScaler options that Portico
/// accepts, keeps and writes back, but does not act on; they are reported as such. What the command
/// does is bound to it one floor up, by the configuration (<c>Configuration.CommandSpec</c>): the
/// language knows how a line is written, not what it changes.
/// </summary>
public class CommandSyntax
{
    protected CommandSyntax(string verb, string obj, string summary, CommandKind kind,
        IReadOnlyList<ParameterSpec> positionals, IReadOnlyList<ParameterSpec> options, IReadOnlySet<string> keptOptions)
    {
        Verb = verb;
        Object = obj;
        ObjectWords = obj.Length == 0 ? [] : obj.Split(' ');
        Summary = summary;
        Kind = kind;
        Positionals = positionals;
        Options = options;
        KeptOptions = keptOptions;
    }

    public string Verb { get; }

    public string Object { get; }

    public IReadOnlyList<string> ObjectWords { get; }

    public string Summary { get; }

    public CommandKind Kind { get; }

    public IReadOnlyList<ParameterSpec> Positionals { get; }

    public IReadOnlyList<ParameterSpec> Options { get; }

    public IReadOnlySet<string> KeptOptions { get; }

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

/// <summary>The commands a parser knows; the configuration's command registry is one.</summary>
public interface ICommandCatalog
{
    IReadOnlyList<CommandSyntax> Commands { get; }
}

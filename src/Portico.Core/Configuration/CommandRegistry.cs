using Portico.CommandLanguage;
namespace Portico.Configuration;

/// <summary>Every command the language knows, as registered by the concerns' modules.</summary>
public sealed class CommandRegistry : ICommandCatalog
{
    private readonly List<CommandSpec> _specs = [];

    /// <summary>The config sections and save config lines the modules register beside their commands.</summary>
    public ConfigSections Sections { get; } = new();

    public CommandRegistry(IEnumerable<ICommandModule> modules)
    {
        foreach (var module in modules)
        {
            module.Register(this);
        }
    }

    public IReadOnlyList<CommandSpec> Specs => _specs;

    IReadOnlyList<CommandSyntax> ICommandCatalog.Commands => _specs;

    /// <summary>The verbs that have at least one command.</summary>
    public IEnumerable<string> Verbs => _specs.Select(s => s.Verb).Distinct(StringComparer.OrdinalIgnoreCase);

    public CommandSpecBuilder Mutation(string verb, string obj, string summary) => new(this, verb, obj, summary, CommandKind.Mutation);

    public CommandSpecBuilder Query(string verb, string obj, string summary) => new(this, verb, obj, summary, CommandKind.Query);

    public CommandSpecBuilder Action(string verb, string obj, string summary) => new(this, verb, obj, summary, CommandKind.Action);

    internal void Add(CommandSpec spec)
    {
        if (_specs.Any(s => s.FullName.Equals(spec.FullName, StringComparison.OrdinalIgnoreCase)))
        {
            throw new InvalidOperationException($"command '{spec.FullName}' is registered twice");
        }

        _specs.Add(spec);
    }
}

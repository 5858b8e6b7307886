namespace Portico.Configuration;

/// <summary>
/// The sections and <c>save config</c> lines the concerns registered at composition (through their
/// command modules, <see cref="CommandRegistry.Sections"/>). Every snapshot carries the set it was built
/// with, so <see cref="ConfigWriter"/> and a reload need nothing else.
/// </summary>
public sealed class ConfigSections
{
    /// <summary>No concern registered: what <see cref="RunningConfig.Empty"/> carries.</summary>
    public static readonly ConfigSections None = new();

    private readonly List<SavedLines> _lines = [];
    private readonly HashSet<IConfigSection> _sections = [];

    /// <summary>The registered lines, in rank order.</summary>
    public IReadOnlyList<SavedLines> Lines => _lines;

    /// <summary>The registered sections.</summary>
    public IReadOnlyCollection<IConfigSection> All => _sections;

    /// <summary>Registers a section and the lines that save it.</summary>
    public void Add(IConfigSection section, int rank, Func<RunningConfig, IEnumerable<string>> write)
    {
        if (!_sections.Add(section))
        {
            throw new InvalidOperationException($"config section '{section.Name}' is registered twice");
        }

        AddLines(section.Name, rank, write);
    }

    /// <summary>Registers lines for objects <see cref="RunningConfig"/> holds typed (servers, vservers, ns ip...).</summary>
    public void AddLines(string name, int rank, Func<RunningConfig, IEnumerable<string>> write)
    {
        if (_lines.FirstOrDefault(l => l.Rank == rank) is { } taken)
        {
            throw new InvalidOperationException($"save config rank {rank} of '{name}' is taken by '{taken.Name}'");
        }

        _lines.Add(new SavedLines(name, rank, write));
        _lines.Sort((a, b) => a.Rank.CompareTo(b.Rank));
    }

    /// <summary>Whether a batch may edit <paramref name="section"/>: an unregistered one would not be saved.</summary>
    public bool Contains(IConfigSection section) => _sections.Contains(section);
}

using System.Collections.Frozen;
using System.Collections.Immutable;
using Portico.Appliance;
using Portico.CommandLanguage;
using Portico.LoadBalancing;

namespace Portico.Configuration;

/// <summary>
/// A mutable copy of the running config that one batch of commands edits. Nothing here is visible to
/// the data paths until the whole batch has been validated and <see cref="Build"/> produced a new
/// snapshot; a batch with any error is simply thrown away.
/// </summary>
public sealed class ConfigBuilder
{
    private readonly List<(ParsedCommand Command, string Parameter, Func<ConfigBuilder, string?> Check)> _deferred = [];
    private readonly Dictionary<IConfigSection, object> _work = [];
    private readonly RunningConfig _from;

    /// <param name="from">The snapshot to edit (empty for a whole-file reload).</param>
    /// <param name="source">Where the batch comes from.</param>
    /// <param name="generation">The generation to build on when <paramref name="from"/> is not the running one.</param>
    public ConfigBuilder(RunningConfig from, string source, long? generation = null)
    {
        _from = from;
        Generation = generation ?? from.Generation;
        Source = source;
        Sections = from.Sections;
        Servers = Ordered(from.Servers, s => s.Name);
        Services = Ordered(from.Services, s => s.Name);
        ServiceGroups = Ordered(from.ServiceGroups, s => s.Name);
        Vservers = Ordered(from.Vservers, s => s.Name);
        Ips = [.. from.Ips];
        Param = from.Param;
        Modes = from.Modes.ToHashSet(StringComparer.OrdinalIgnoreCase);
        Unsupported = [.. from.Unsupported];
    }

    public long Generation { get; }

    /// <summary>Where the batch comes from (a file name, <c>cli</c>), for kept lines.</summary>
    public string Source { get; }

    /// <summary>The sections the next snapshot carries (the store's registered ones).</summary>
    public ConfigSections Sections { get; init; }

    public OrderedDictionary<string, Server> Servers { get; }

    public OrderedDictionary<string, Service> Services { get; }

    public OrderedDictionary<string, ServiceGroup> ServiceGroups { get; }

    public OrderedDictionary<string, LbVserver> Vservers { get; }

    public List<NsIp> Ips { get; }

    public NsParam Param { get; set; }

    public HashSet<string> Modes { get; }

    public List<UnsupportedLine> Unsupported { get; }

    /// <summary>
    /// The batch's working copy of a section, made from the snapshot on first use: the one copy the
    /// section machinery does for every concern, so no section can be forgotten and reset by a batch.
    /// </summary>
    public TWork Edit<TValue, TWork>(ConfigSection<TValue, TWork> section) where TValue : notnull where TWork : notnull
    {
        if (!_work.TryGetValue(section, out var work))
        {
            work = section.EditValue(_from.Get(section));
            _work.Add(section, work);
        }

        return (TWork)work;
    }

    /// <summary>Replaces the value of a persistent section (settings, persistent sets).</summary>
    public void Set<T>(ConfigSection<T, T> section, T value) where T : notnull => _work[section] = value;

    /// <summary>
    /// Folders a relative certificate or key path is looked up in when it is not found as written: an
    /// import's <c>--cert-dir</c> (NetScaler's <c>/nsconfig/ssl/</c>), then the config file's own folder.
    /// </summary>
    public IReadOnlyList<string> CertificateDirectories { get; init; } = [];

    /// <summary>Notes on applied lines, shown to the operator.</summary>
    public List<ConfigNote> Notes { get; } = [];

    public void Note(ParsedCommand command, string message) => Notes.Add(new ConfigNote(command.Line, message));

    /// <summary>
    /// Checks a reference once the whole batch has been read, so a batch may bind a member before the
    /// line that adds it (real ns.conf files do). The check returns an error message or null.
    /// </summary>
    public void Defer(ParsedCommand command, string parameter, Func<ConfigBuilder, string?> check) =>
        _deferred.Add((command, parameter, check));

    internal IEnumerable<ConfigErrorException> RunDeferredChecks()
    {
        foreach (var (command, parameter, check) in _deferred)
        {
            var message = check(this);
            if (message is not null)
            {
                yield return command.Error(parameter, message);
            }
        }
    }

    /// <summary>The named entity of any kind that a vserver binding can point at.</summary>
    public bool IsBindable(string name) => Services.ContainsKey(name) || ServiceGroups.ContainsKey(name);

    public RunningConfig Build() => new()
    {
        Generation = Generation + 1,
        Servers = [.. Servers.Values],
        Services = [.. Services.Values],
        ServiceGroups = [.. ServiceGroups.Values],
        Vservers = [.. Vservers.Values],
        Ips = [.. Ips],
        Param = Param,
        Modes = Modes.Select(m => m.ToUpperInvariant()).ToImmutableHashSet(),
        Unsupported = [.. Unsupported],
        Sections = Sections,
        Values = BuildSections(),
    };

    private FrozenDictionary<IConfigSection, object> BuildSections()
    {
        var values = new Dictionary<IConfigSection, object>(_from.Values);
        foreach (var (section, work) in _work)
        {
            // A section nobody registered would be edited here and then lost by save config: fail loudly instead.
            if (Sections != ConfigSections.None && !Sections.Contains(section))
            {
                throw new InvalidOperationException($"config section '{section.Name}' is not registered; register it with its save config lines");
            }

            values[section] = section.Build(work);
        }

        foreach (var section in values.Keys.ToList())
        {
            values[section] = section.Follow(values[section], this);
        }

        return values.ToFrozenDictionary();
    }

    private static OrderedDictionary<string, T> Ordered<T>(IEnumerable<T> items, Func<T, string> key)
    {
        var d = new OrderedDictionary<string, T>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            d.Add(key(item), item);
        }

        return d;
    }
}

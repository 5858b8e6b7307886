namespace Portico.Configuration;

/// <summary>
/// The typed key of one section: its empty value, how a batch gets a working copy and builds it back,
/// and the optional follow and reload rules. Declared once, as a static field in the concern's folder;
/// <see cref="RunningConfig.Get{TValue, TWork}"/> and <see cref="ConfigBuilder.Edit{TValue, TWork}"/> reach it.
/// </summary>
/// <typeparam name="TValue">The immutable value a snapshot holds.</typeparam>
/// <typeparam name="TWork">What a batch edits: a mutable copy, or the same type when the value is persistent.</typeparam>
public sealed class ConfigSection<TValue, TWork>(string name, TValue empty, Func<TValue, TWork> edit, Func<TWork, TValue> build) : IConfigSection
    where TValue : notnull
    where TWork : notnull
{
    public string Name { get; } = name;

    /// <summary>The value of a config that never set this section.</summary>
    public TValue Empty { get; } = empty;

    /// <summary>What the rest of a batch takes with it, applied to every built snapshot (see <see cref="IConfigSection.Follow"/>).</summary>
    public Func<TValue, ConfigBuilder, TValue>? Follows { get; init; }

    /// <summary>What a reload keeps (default: nothing, the file says it all).</summary>
    public Func<TValue, TValue>? Reloads { get; init; }

    internal TWork EditValue(TValue value) => edit(value);

    object IConfigSection.Build(object work) => build((TWork)work);

    object IConfigSection.Follow(object value, ConfigBuilder batch) => Follows is { } f ? f((TValue)value, batch) : value;

    object? IConfigSection.Reload(object value) => Reloads is { } r ? r((TValue)value) : null;

    public override string ToString() => Name;
}

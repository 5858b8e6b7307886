namespace Portico.Configuration;

/// <summary>
/// One concern's part of the running config, as the section machinery sees it: an immutable value in
/// every <see cref="RunningConfig"/>, a working copy in every <see cref="ConfigBuilder"/>. The typed face
/// is <see cref="ConfigSection{TValue, TWork}"/>; a concern declares one per kind of object and reaches it
/// through extension members in its own folder, so the config classes never name the concern.
/// </summary>
public interface IConfigSection
{
    /// <summary>What the section holds, in the operator's words (<c>lb monitor</c>), for messages.</summary>
    string Name { get; }

    /// <summary>The snapshot value built back from a batch's working copy.</summary>
    object Build(object work);

    /// <summary>
    /// The last step of every batch, whether it edited this section or not: what the rest of the batch
    /// takes with it (bindings to a removed vserver). Returns <paramref name="value"/> when nothing follows.
    /// </summary>
    object Follow(object value, ConfigBuilder batch);

    /// <summary>What of the value survives a reload of the config file, or null when nothing does.</summary>
    object? Reload(object value);
}

namespace Portico.Engine;

/// <summary>What the process starts with: the config text, where it came from, and how it stops.</summary>
/// <param name="ConfigText">The command lines applied at start.</param>
/// <param name="Source">A name for messages (<c>portico.conf</c>, <c>embedded default</c>).</param>
/// <param name="ConfigPath">The file <c>save config</c> and reload use; null for the embedded default.</param>
/// <param name="DrainTimeout">How long a stop waits for established connections to finish before cutting them.</param>
public sealed record PorticoStartup(string ConfigText, string Source, string? ConfigPath, TimeSpan DrainTimeout);

/// <summary>The start-up config has errors: nothing was started.</summary>
public sealed class StartupConfigException(string message) : Exception(message);

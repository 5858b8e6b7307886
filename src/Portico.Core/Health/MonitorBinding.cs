using Portico.CommandLanguage;

namespace Portico.Health;

/// <summary>
/// A monitor bound to a service or service group (<c>bind service s -monitorName m</c>,
/// <c>bind serviceGroup g -monitorName m</c>, <c>bind lb monitor m s</c>). Every member of a group
/// is probed by its group's monitors.
/// </summary>
/// <param name="Target">The service or service group.</param>
/// <param name="Enabled"><c>-monState DISABLED</c> keeps the binding without probing.</param>
public sealed record MonitorBinding(string Target, string Monitor, bool Enabled, IReadOnlyList<KeptOption> Kept);

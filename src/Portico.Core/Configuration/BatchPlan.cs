using Portico.CommandLanguage;

namespace Portico.Configuration;

/// <summary>A parsed and executed batch before it is applied: the new snapshot, or the errors.</summary>
public sealed record BatchPlan(
    RunningConfig? Next,
    IReadOnlyList<ConfigError> Errors,
    IReadOnlyList<UnsupportedLine> Unsupported,
    IReadOnlyList<ConfigNote> Notes,
    IReadOnlyList<ParsedCommand> Commands);

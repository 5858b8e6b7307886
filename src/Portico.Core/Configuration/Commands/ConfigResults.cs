namespace Portico.Configuration.Commands;

/// <summary><c>show ns runningConfig</c>: the running config in canonical form, as <c>save config</c> writes it.</summary>
internal sealed record RunningConfigText(string Text) : IQueryResult
{
    public string ToText() => Text;
}

/// <summary><c>save config</c>: where the running config was written, and where the previous file is kept.</summary>
internal sealed record ConfigSaved(string Path) : IQueryResult
{
    public string Backup => Path + ".bak";

    public string ToText() => $"Saved to {Path} (previous version kept as {Backup})\n";
}

namespace Portico.CommandLanguage;

/// <summary>A valid NetScaler option that Portico keeps and writes back without acting on it.</summary>
public sealed record KeptOption(string Name, IReadOnlyList<string> Words)
{
    public override string ToString() => Words.Count == 0 ? $"-{Name}" : $"-{Name} {string.Join(' ', Words.Select(ConfigText.Quote))}";
}

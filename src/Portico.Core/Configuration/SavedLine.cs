using Portico.CommandLanguage;

namespace Portico.Configuration;

/// <summary>The pieces every concern's <c>save config</c> lines are made of.</summary>
public static class SavedLine
{
    /// <summary>A line: its head, the options that are set (empty ones left out), then the kept ones.</summary>
    public static string Of(string head, IEnumerable<string> options, IReadOnlyList<KeptOption> kept) =>
        string.Join(' ', options.Where(o => o.Length > 0).Concat(KeptOptions.Write(kept)).Prepend(head));

    /// <summary><c>-name value</c>, quoted as needed; empty when the value is not set.</summary>
    public static string Option(string name, string? value) => value is null ? "" : $"-{name} {ConfigText.Quote(value)}";

    /// <summary>A port as ns.conf writes it: <c>*</c> for any.</summary>
    public static string Port(int port) => port == 0 ? "*" : port.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

namespace Portico.ContentSwitching;

/// <summary><c>-gotoPriorityExpression</c> of a cs bind: END, NEXT, or a priority number.</summary>
public static class CsGoto
{
    /// <summary>null for END; -1 for NEXT; else the priority to continue at.</summary>
    public static long? Next(string? word) => word?.ToUpperInvariant() switch
    {
        null or "END" => null,
        "NEXT" => -1,
        var n => long.Parse(n, System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>The error for a goto word Portico cannot follow, or null.</summary>
    public static string? Problem(string word) =>
        word.ToUpperInvariant() is "END" or "NEXT" || (long.TryParse(word, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) && n > 0)
            ? null
            : $"'{word}': expected END, NEXT or a priority number";
}

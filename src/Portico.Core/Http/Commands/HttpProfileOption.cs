using System.Globalization;
using Portico.CommandLanguage;
using Portico.Http.Profiles;

namespace Portico.Http.Commands;

/// <summary>
/// One option of <c>add|set ns httpProfile</c> that Portico acts on: how it parses, reads and changes a
/// profile, so add, set, unset, save config and show are driven by one table (<see cref="HttpProfileOptions"/>).
/// </summary>
/// <param name="Get">The profile's value: a bool, a long or a string, or null when not set.</param>
/// <param name="Set">The profile with a value <see cref="Parser"/> returned, or one <see cref="Get"/> returned.</param>
/// <param name="Effect">What Portico does with the profile's value, for <c>show ns httpProfile</c>.</param>
internal sealed record HttpProfileOption(
    string Name,
    ValueParser Parser,
    string Help,
    Func<HttpProfile, object?> Get,
    Func<HttpProfile, object?, HttpProfile> Set,
    Func<HttpProfile, string> Effect)
{
    /// <summary>The value as <c>save config</c> writes it after the option's name; null when not set.</summary>
    public string? Word(HttpProfile p) => WordOf(Get(p));

    /// <summary>The profile with this option back at NetScaler's default (<c>unset</c>).</summary>
    public HttpProfile Reset(HttpProfile p) => Set(p, Get(HttpProfile.Default));

    public static string? WordOf(object? value) => value switch
    {
        null => null,
        bool b => b ? "ENABLED" : "DISABLED",
        long n => n.ToString(CultureInfo.InvariantCulture),
        string s => ConfigText.Quote(s),
        _ => throw new InvalidOperationException($"no word for {value.GetType().Name}"),
    };
}

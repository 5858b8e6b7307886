using Portico.CommandLanguage;
using Portico.Configuration;
using Portico.Http.Profiles;

namespace Portico.Http.Commands;

/// <summary>
/// How <c>save config</c> writes HTTP profiles, before the vservers that name them: <c>add ns httpProfile</c>
/// with the options that differ from NetScaler's defaults, and <c>set ns httpProfile</c> for a built-in profile
/// that differs from how NetScaler ships it.
/// </summary>
internal static class HttpProfileLines
{
    public static IEnumerable<string> Write(RunningConfig config)
    {
        foreach (var p in config.HttpProfiles)
        {
            var builtIn = HttpProfileSections.BuiltIns.FirstOrDefault(b => b.Name == p.Name);
            var options = Options(p, builtIn ?? HttpProfile.Default).ToList();
            if (builtIn is not null && options.Count == 0 && p.Kept.Count == 0)
            {
                continue;
            }

            yield return SavedLine.Of($"{(builtIn is null ? "add" : "set")} ns httpProfile {ConfigText.Quote(p.Name)}", options, p.Kept);
        }
    }

    /// <summary><c>-name value</c> for every option whose value differs from <paramref name="origin"/>'s, in a fixed order.</summary>
    private static IEnumerable<string> Options(HttpProfile p, HttpProfile origin)
    {
        foreach (var o in HttpProfileOptions.All)
        {
            // A built-in profile set back to NetScaler's default where its origin differs writes that default.
            if (o.Word(p) is { } word && word != o.Word(origin))
            {
                yield return $"-{o.Name} {word}";
            }
        }
    }
}

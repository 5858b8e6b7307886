using System.Text;
using Portico.CommandLanguage;
using Portico.Configuration;
using Portico.Http.Profiles;

namespace Portico.Http.Commands;

/// <summary>
/// <c>show ns httpProfile</c>: every profile in force with each setting the engine acts on (its value and what
/// Portico does with it), who uses it, the options kept without effect, and Portico's fixed limits.
/// </summary>
internal sealed record HttpProfileList(IReadOnlyList<HttpProfileView> Profiles, HttpFixedLimits Limits) : IQueryResult
{
    public static HttpProfileList Of(CommandContext ctx, ParsedCommand c)
    {
        var name = c.MaybeRef<string>("name");
        var profiles = ctx.Config.HttpProfiles.Where(p => name is null || p.Name == name).Select(p => View(ctx.Config, p)).ToList();
        return name is not null && profiles.Count == 0
            ? throw c.Error("name", $"no ns httpProfile named '{name}'")
            : new HttpProfileList(profiles, HttpFixedLimits.Portico);
    }

    private static HttpProfileView View(RunningConfig config, HttpProfile p) => new(
        p.Name,
        p.IsBuiltIn,
        p.Comment,
        [.. HttpProfileOptions.All.Where(o => o.Name != "comment").Select(o => new HttpProfileSetting(o.Name, o.Word(p) ?? "-", o.Effect(p)))],
        [.. HttpProfileCommands.UsedBy(config, p)],
        [.. p.Kept.Select(k => HttpProfileKeptOptions.Note(k) ?? $"{k} is kept but has no effect in Portico")]);

    public string ToText()
    {
        var sb = new StringBuilder($"{Profiles.Count} HTTP profile(s)\n");
        foreach (var p in Profiles)
        {
            sb.Append($"{p.Name}{(p.BuiltIn ? " (built-in)" : "")}\n");
            sb.Append($"\tUsed by: {(p.UsedBy.Count == 0 ? "-" : string.Join(", ", p.UsedBy))}\n");
            if (p.Comment is not null)
            {
                sb.Append($"\tComment: {p.Comment}\n");
            }

            var table = new TextTable("Option", "Value", "Portico");
            foreach (var s in p.Settings)
            {
                table.Row("-" + s.Option, s.Value, s.Effect);
            }

            sb.Append(string.Concat(table.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => $"\t{l}\n")));
            sb.Append(string.Concat(p.Kept.Select(k => $"\t{k}\n")));
        }

        return sb.Append(Limits.ToText()).ToString();
    }
}

/// <summary>One profile.</summary>
/// <param name="Settings">The options the engine acts on, in save config's order, with their values in force.</param>
/// <param name="UsedBy">The vservers it applies to: <c>web</c>, <c>api (default)</c> for the default profile, <c>tcp1 (no effect: TCP)</c>.</param>
/// <param name="Kept">NetScaler options kept without effect, each with its note.</param>
internal sealed record HttpProfileView(string Name, bool BuiltIn, string? Comment, IReadOnlyList<HttpProfileSetting> Settings, IReadOnlyList<string> UsedBy, IReadOnlyList<string> Kept);

/// <summary>An option's value in force (<c>-</c> when not set) and what Portico does with it.</summary>
internal sealed record HttpProfileSetting(string Option, string Value, string Effect);

/// <summary>Portico's limits that no NetScaler option sets, the same for every profile.</summary>
internal sealed record HttpFixedLimits(int RequestLineBytes, int HeaderFields, int ChunkSizeLineBytes, int HeadTimeoutSeconds)
{
    public static HttpFixedLimits Portico { get; } = new(HttpProfile.MaxRequestLineLength, HttpProfile.MaxHeaderFields,
        HttpProfile.MaxChunkSizeLineLength, (int)HttpProfile.DefaultHeadTimeout.TotalSeconds);

    public string ToText() =>
        $"Portico's fixed limits (no NetScaler option): request line {RequestLineBytes} bytes (longer: 414), {HeaderFields} header fields "
        + $"(more: 431), chunk-size line {ChunkSizeLineBytes} bytes (longer: 400), request head {HeadTimeoutSeconds} s when -reqTimeout is 0 (then 408)\n";
}

using Portico.CommandLanguage;

namespace Portico.Configuration;

/// <summary>
/// Long ns.conf lines pasted through a mail or a terminal come back cut in two. A line that fails and
/// reads like the rest of the line before it (it starts with an option or a word that is no verb), or a
/// line whose quote is never closed followed by such a line, gets a hint to join them.
/// </summary>
internal static class WrappedLineHint
{
    public static ConfigError Add(ConfigError error, string[] lines, int index)
    {
        if (error.Line != index + 1)
        {
            return error;
        }

        if (error.Message.Contains("never closed", StringComparison.Ordinal) && index + 1 < lines.Length && LooksLikeRest(lines[index + 1]))
        {
            return error with { Message = error.Message + $"; the line seems to continue on line {index + 2}: join the two lines" };
        }

        var previous = index - 1;
        while (previous >= 0 && lines[previous].Trim().Length == 0)
        {
            previous--;
        }

        if (previous >= 0 && !lines[previous].TrimStart().StartsWith('#') && LooksLikeRest(lines[index]) && error.Column <= FirstWordColumn(lines[index]))
        {
            return error with { Message = error.Message + $"; this looks like the rest of line {previous + 1}, wrapped: join the two lines" };
        }

        return error;
    }

    private static bool LooksLikeRest(string line)
    {
        var t = line.TrimStart();
        if (t.Length == 0 || t[0] == '#')
        {
            return false;
        }

        var first = t.Split(' ', 2)[0];
        return (first.Length > 1 && first[0] == '-' && char.IsLetter(first[1])) || first[0] == '"' || !NetScalerCatalog.Verbs.Contains(first);
    }

    private static int FirstWordColumn(string line) => line.Length - line.TrimStart().Length + 1;
}

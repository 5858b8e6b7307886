using Portico.CommandLanguage;

namespace Portico.Configuration;

/// <summary>
/// A NetScaler's saved extended ACLs carry <c>-kernelstate SFAPPLIED61</c>: they were in force on the appliance,
/// though the file has no <c>apply ns acls</c> line (the appliance applies its saved rules at boot). Portico keeps
/// added rules pending until that line, so an import of such a file applies them, as the appliance did;
/// otherwise the migrated farm would run without its ACLs.
/// </summary>
internal static class SavedAclState
{
    /// <summary>The <c>apply ns acls</c> (and <c>acls6</c>) lines to add after the file, or none.</summary>
    public static List<string> ApplyLines(string[] lines)
    {
        var (v4, v6, applied4, applied6) = (false, false, false, false);
        foreach (var line in lines)
        {
            List<Token> t;
            try
            {
                t = Tokenizer.Split(line, 0);
            }
            catch (ConfigErrorException)
            {
                continue;
            }

            var words = t.Where(x => !x.Quoted).Select(x => x.Text.ToLowerInvariant()).ToList();
            var offset = words.Count > 1 && words[1] == "ns" ? 1 : 0;
            if (words.Count < 2 + offset)
            {
                continue;
            }

            var obj = words[1 + offset];
            if (words[0] == "apply")
            {
                applied4 |= obj == "acls";
                applied6 |= obj == "acls6";
            }
            else if (words[0] == "add" && obj is "acl" or "acl6" && WasApplied(t))
            {
                v4 |= obj == "acl";
                v6 |= obj == "acl6";
            }
        }

        var add = new List<string>();
        if (v4 && !applied4)
        {
            add.Add("apply ns acls");
        }

        if (v6 && !applied6)
        {
            add.Add("apply ns acls6");
        }

        return add;
    }

    /// <summary>The kernel state notes, reworded: the import did act on them (the line is applied, with a word on why).</summary>
    public static List<LineReport> Explain(List<LineReport> reports) =>
        [.. reports.Select(r =>
        {
            var note = r.Messages.FirstOrDefault(m => m.StartsWith("-kernelstate ", StringComparison.Ordinal) && m.EndsWith("is kept but has no effect in Portico", StringComparison.Ordinal));
            if (note is null)
            {
                return r;
            }

            var others = r.Messages.Where(m => m != note).ToList();
            var applied = $"{note[..note.IndexOf(" is kept", StringComparison.Ordinal)]}: the rule was in force on the appliance, so the import applies the ACLs (apply ns acls), as the appliance does at boot";
            return r with { Outcome = others.Count == 0 ? LineOutcome.Applied : r.Outcome, Messages = [.. others, applied] };
        })];

    private static bool WasApplied(List<Token> t)
    {
        var i = t.FindIndex(x => x.IsOption && x.OptionName.Equals("kernelstate", StringComparison.OrdinalIgnoreCase));
        if (i < 0 || i + 1 >= t.Count)
        {
            return false;
        }

        var state = t[i + 1].Text.ToUpperInvariant();
        return state.Contains("APPLIED", StringComparison.Ordinal) && !state.StartsWith("NOT", StringComparison.Ordinal);
    }
}

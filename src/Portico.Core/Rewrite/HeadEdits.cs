using System.Text.RegularExpressions;

namespace Portico.Rewrite;

/// <summary>
/// The changes the matching rewrite policies make to one head, computed from the head as it arrived (NetScaler
/// evaluates every policy on the original, then applies the actions in order) and applied when the head is written.
/// </summary>
public sealed class HeadEdits
{
    private readonly List<Edit> _edits = [];

    public bool IsEmpty => _edits.Count == 0;

    public IReadOnlyList<Edit> Edits => _edits;

    public void Add(Edit edit) => _edits.Add(edit);

    /// <summary>One change: what it touches and how.</summary>
    /// <param name="Value">The new text (replace), the text to add (insert_after/before, insert_http_header), or the replacement (replace_all).</param>
    /// <param name="Search">replace_all's pattern.</param>
    public sealed record Edit(RewriteActionType Type, TargetPart Part, string? Header, string? Value, Regex? Search);

    /// <summary>Applies the edits to a head: its target (requests; null for responses) and its fields, in order.</summary>
    public void Apply(ref string? target, List<(string Name, string Value)> fields)
    {
        foreach (var e in _edits)
        {
            switch (e.Part)
            {
                case TargetPart.Url when target is not null:
                    target = Change(e, target) ?? "/";
                    break;
                case TargetPart.Path when target is not null:
                    var q = target.IndexOf('?', StringComparison.Ordinal);
                    var path = Change(e, q < 0 ? target : target[..q]) ?? "/";
                    target = (path.StartsWith('/') ? path : "/" + path) + (q < 0 ? "" : target[q..]);
                    break;
                case TargetPart.Query when target is not null:
                    var at = target.IndexOf('?', StringComparison.Ordinal);
                    var query = Change(e, at < 0 ? "" : target[(at + 1)..]);
                    target = (at < 0 ? target : target[..at]) + (string.IsNullOrEmpty(query) ? "" : "?" + query);
                    break;
                case TargetPart.Host or TargetPart.Header:
                    ApplyToFields(e, fields);
                    break;
            }
        }
    }

    private static void ApplyToFields(Edit e, List<(string Name, string Value)> fields)
    {
        var name = e.Header!;
        switch (e.Type)
        {
            case RewriteActionType.InsertHttpHeader:
                fields.Add((name, e.Value!));
                return;
            case RewriteActionType.DeleteHttpHeader:
                fields.RemoveAll(f => f.Name.Equals(name, StringComparison.OrdinalIgnoreCase));
                return;
            case RewriteActionType.CorruptHttpHeader:
                for (var i = 0; i < fields.Count; i++)
                {
                    if (fields[i].Name.Equals(name, StringComparison.OrdinalIgnoreCase))
                    {
                        fields[i] = ("X-Corrupted-" + fields[i].Name, fields[i].Value);
                    }
                }

                return;
        }

        // The other actions change the value of the field's first occurrence, as HTTP.REQ.HEADER("X") selects it.
        var index = fields.FindIndex(f => f.Name.Equals(name, StringComparison.OrdinalIgnoreCase));
        if (index < 0)
        {
            return;
        }

        if (Change(e, fields[index].Value) is { } value)
        {
            fields[index] = (fields[index].Name, value);
        }
        else
        {
            fields.RemoveAt(index);
        }
    }

    /// <summary>The text after the edit; null when <c>delete</c> removed it.</summary>
    private static string? Change(Edit e, string text) => e.Type switch
    {
        RewriteActionType.Replace => e.Value,
        RewriteActionType.InsertAfter => text + e.Value,
        RewriteActionType.InsertBefore => e.Value + text,
        RewriteActionType.ReplaceAll => e.Search!.Replace(text, e.Value!.Replace("$", "$$", StringComparison.Ordinal)),
        RewriteActionType.Delete => null,
        _ => text,
    };
}

using System.Text;

namespace Portico.Configuration;

/// <summary>A plain-text table with aligned columns, the way <c>show</c> and <c>stat</c> print.</summary>
public sealed class TextTable(params string[] headers)
{
    private readonly List<string[]> _rows = [];

    public int Count => _rows.Count;

    public TextTable Row(params object?[] cells)
    {
        _rows.Add([.. cells.Select(c => c?.ToString() ?? "-")]);
        return this;
    }

    public override string ToString()
    {
        var widths = headers.Select((h, i) => Math.Max(h.Length, _rows.Count == 0 ? 0 : _rows.Max(r => r[i].Length))).ToArray();
        var sb = new StringBuilder();
        Line(sb, headers, widths);
        Line(sb, [.. widths.Select(w => new string('-', w))], widths);
        foreach (var row in _rows)
        {
            Line(sb, row, widths);
        }

        return sb.ToString();
    }

    private static void Line(StringBuilder sb, string[] cells, int[] widths)
    {
        for (var i = 0; i < cells.Length; i++)
        {
            var last = i == cells.Length - 1;
            sb.Append(last ? cells[i] : cells[i].PadRight(widths[i] + 2));
        }

        sb.Append('\n');
    }
}

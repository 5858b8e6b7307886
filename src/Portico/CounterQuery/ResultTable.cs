using System.Globalization;
using System.Text.Json;
using System.Text;
using Portico.CommandLanguage;
using Portico.Configuration;

namespace Portico.CounterQuery;

/// <summary>A query's answer as columns and rows, written as an aligned table, CSV or JSON.</summary>
internal sealed class ResultTable(params string[] headers)
{
    public IReadOnlyList<string> Headers { get; } = headers;

    public List<object?[]> Rows { get; } = [];

    public void Add(params object?[] cells) => Rows.Add(cells);

    public string Write(OutputFormat format) => format switch
    {
        OutputFormat.Csv => Csv(),
        OutputFormat.Json => Json(),
        _ => Table(),
    };

    private string Table()
    {
        var table = new TextTable([.. Headers]);
        foreach (var row in Rows)
        {
            table.Row([.. row.Select(Text)]);
        }

        return table.ToString();
    }

    private string Csv()
    {
        var sb = new StringBuilder();
        sb.AppendJoin(',', Headers.Select(CsvCell)).Append('\n');
        foreach (var row in Rows)
        {
            sb.AppendJoin(',', row.Select(c => CsvCell(c is null ? "" : Text(c)))).Append('\n');
        }

        return sb.ToString();
    }

    private static string CsvCell(string text) =>
        text.AsSpan().IndexOfAny(",\"\n\r") >= 0 ? "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : text;

    private string Json()
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartArray();
            foreach (var row in Rows)
            {
                json.WriteStartObject();
                for (var i = 0; i < Headers.Count; i++)
                {
                    var name = Headers[i];
                    switch (row[i])
                    {
                        case null: json.WriteNull(name); break;
                        case long l: json.WriteNumber(name, l); break;
                        case int n: json.WriteNumber(name, n); break;
                        case double d: json.WriteNumber(name, Math.Round(d, 3)); break;
                        case DateTimeOffset t: json.WriteString(name, t.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture)); break;
                        default: json.WriteString(name, Text(row[i])); break;
                    }
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    private static string Text(object? cell) => cell switch
    {
        null => "-",
        DateTimeOffset t => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
        double d => d.ToString("0.##", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => cell.ToString() ?? "",
    };
}

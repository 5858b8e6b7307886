using System.Text;

namespace Portico.Admin.Cli;

/// <summary>
/// A small line editor for the interactive CLI: arrows move and recall history, Home/End jump, Tab
/// completes command words, Ctrl-C clears the line, Ctrl-D on an empty line leaves. History is kept
/// in a file between sessions (in memory only when <paramref name="historyPath"/> is null: an account without a
/// home). When input is not a terminal it reads plain lines.
/// </summary>
public sealed class LineEditor(string? historyPath, Func<string, IReadOnlyList<string>>? complete = null)
{
    private const int MaxHistory = 1000;
    private readonly List<string> _history = Load(historyPath);

    public IReadOnlyList<string> History => _history;

    /// <summary>The next line, or null at end of input.</summary>
    public string? ReadLine(string prompt)
    {
        if (Console.IsInputRedirected)
        {
            return Console.ReadLine();
        }

        // Ctrl-C is the editor's key while a line is typed (it clears the line), not the signal that ends the process.
        var treatControlC = Console.TreatControlCAsInput;
        Console.TreatControlCAsInput = true;
        try
        {
            return ReadKeys(prompt);
        }
        finally
        {
            Console.TreatControlCAsInput = treatControlC;
        }
    }

    private string? ReadKeys(string prompt)
    {
        Console.Write(prompt);
        var line = new StringBuilder();
        var pos = 0;
        var index = _history.Count;
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            switch (key.Key)
            {
                case ConsoleKey.Enter:
                    Console.WriteLine();
                    var text = line.ToString();
                    Remember(text);
                    return text;
                case ConsoleKey.Backspace when pos > 0:
                    line.Remove(--pos, 1);
                    break;
                case ConsoleKey.Delete when pos < line.Length:
                    line.Remove(pos, 1);
                    break;
                case ConsoleKey.LeftArrow when pos > 0:
                    pos--;
                    break;
                case ConsoleKey.RightArrow when pos < line.Length:
                    pos++;
                    break;
                case ConsoleKey.Home:
                    pos = 0;
                    break;
                case ConsoleKey.End:
                    pos = line.Length;
                    break;
                case ConsoleKey.UpArrow when index > 0:
                    line.Clear().Append(_history[--index]);
                    pos = line.Length;
                    break;
                case ConsoleKey.DownArrow when index < _history.Count:
                    index++;
                    line.Clear().Append(index < _history.Count ? _history[index] : "");
                    pos = line.Length;
                    break;
                case ConsoleKey.Tab when complete is not null:
                    pos = Complete(line, pos, prompt);
                    break;
                case var _ when key.KeyChar == '\x03' || (key.Key == ConsoleKey.C && key.Modifiers.HasFlag(ConsoleModifiers.Control)):
                    Console.WriteLine("^C");
                    Console.Write(prompt);
                    line.Clear();
                    pos = 0;
                    continue;
                case ConsoleKey.D when key.Modifiers.HasFlag(ConsoleModifiers.Control) && line.Length == 0:
                    Console.WriteLine();
                    return null;
                default:
                    if (!char.IsControl(key.KeyChar))
                    {
                        line.Insert(pos++, key.KeyChar);
                    }

                    break;
            }

            Redraw(prompt, line, pos);
        }
    }

    private int Complete(StringBuilder line, int pos, string prompt)
    {
        var head = line.ToString(0, pos);
        var options = complete!(head);
        if (options.Count == 1)
        {
            var start = head.LastIndexOf(' ') + 1;
            line.Remove(start, pos - start).Insert(start, options[0] + " ");
            return start + options[0].Length + 1;
        }

        if (options.Count > 1)
        {
            Console.WriteLine();
            Console.WriteLine(string.Join("  ", options));
            Console.Write(prompt);
        }

        return pos;
    }

    private static void Redraw(string prompt, StringBuilder line, int pos)
    {
        // Carriage return, reprint, clear the rest, then put the cursor back where it belongs.
        var back = line.Length - pos;
        Console.Write($"\r{prompt}{line}\x1b[K{(back > 0 ? $"\x1b[{back}D" : "")}");
    }

    private void Remember(string text)
    {
        if (string.IsNullOrWhiteSpace(text) || (_history.Count > 0 && _history[^1] == text))
        {
            return;
        }

        _history.Add(text);
        if (_history.Count > MaxHistory)
        {
            _history.RemoveAt(0);
        }

        if (historyPath is null)
        {
            return;
        }

        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(historyPath)!);
            File.WriteAllLines(historyPath, _history);
        }
        catch (IOException)
        {
            // History is a convenience; a read-only home must not break the CLI.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static List<string> Load(string? path)
    {
        try
        {
            return path is not null && File.Exists(path) ? [.. File.ReadAllLines(path).TakeLast(MaxHistory)] : [];
        }
        catch (IOException)
        {
            return [];
        }
    }
}

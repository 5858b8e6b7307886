using System.Globalization;

namespace Portico.Counters.History;

/// <summary>
/// The files of a history directory: <c>portico.newnslog</c> being written, and archives
/// <c>portico.newnslog.N</c> numbered in the order they were closed (as NetScaler's newnslog.N), so a name
/// an operator wrote down keeps meaning the same hours of data. Retention deletes the lowest numbers.
/// </summary>
public static class HistoryFiles
{
    /// <summary>The archives, oldest first, with their numbers.</summary>
    public static IReadOnlyList<(int Number, string Path)> Archives(string directory)
    {
        if (!Directory.Exists(directory))
        {
            return [];
        }

        var prefix = HistoryFormat.CurrentName + ".";
        return [.. Directory.EnumerateFiles(directory)
            .Where(p => Path.GetFileName(p).StartsWith(prefix, StringComparison.Ordinal) && Path.GetFileName(p).Length > prefix.Length)
            .Select(p => (Ok: int.TryParse(Path.GetFileName(p)[prefix.Length..], NumberStyles.None, CultureInfo.InvariantCulture, out var n), Number: n, Path: p))
            .Where(x => x.Ok)
            .OrderBy(x => x.Number)
            .Select(x => (x.Number, x.Path))];
    }

    /// <summary>Every file, oldest first, the current one last.</summary>
    public static IReadOnlyList<string> All(string directory)
    {
        var files = Archives(directory).Select(a => a.Path).ToList();
        var current = Path.Combine(directory, HistoryFormat.CurrentName);
        if (File.Exists(current))
        {
            files.Add(current);
        }

        return files;
    }

    /// <summary>Renames the current file to the next archive number; returns its new path, or null when there was none.</summary>
    public static string? Archive(string directory)
    {
        var current = Path.Combine(directory, HistoryFormat.CurrentName);
        if (!File.Exists(current))
        {
            return null;
        }

        var archives = Archives(directory);
        var next = archives.Count == 0 ? 0 : archives[^1].Number + 1;
        var target = Path.Combine(directory, $"{HistoryFormat.CurrentName}.{next}");
        File.Move(current, target);
        return target;
    }

    /// <summary>Deletes the oldest archives beyond <paramref name="keep"/>; returns the deleted paths.</summary>
    public static IReadOnlyList<string> Prune(string directory, int keep)
    {
        var archives = Archives(directory);
        var deleted = new List<string>();
        for (var i = 0; i < archives.Count - keep; i++)
        {
            try
            {
                File.Delete(archives[i].Path);
                deleted.Add(archives[i].Path);
            }
            catch (IOException)
            {
                // Someone holds it open; the next rotation tries again.
            }
        }

        return deleted;
    }
}

using Portico.Engine;
using Xunit.Abstractions;

namespace Portico.Core.Tests.Architecture;

/// <summary>
/// The floors of <c>Portico.Core</c> (docs/design/architecture.md): every folder dependency points
/// down, so each folder can be read, tested and replaced from the ground up.
/// </summary>
public sealed class FolderDependencyTests(ITestOutputHelper output)
{
    private static readonly FolderGraph Core = FolderGraph.Of(typeof(PorticoEngine).Assembly, "Portico");

    [Fact]
    public void No_folder_of_the_core_depends_on_a_folder_that_depends_back_on_it()
    {
        var cycles = Core.Cycles();
        Assert.True(cycles.Count == 0, string.Join("\n\n", cycles.Select(Core.Explain)));
    }

    [Fact]
    public void The_floors_written_in_the_architecture_note_are_the_measured_ones()
    {
        var floors = Core.Floors();
        var measured = floors.Select((f, i) => $"{i + 1}. {string.Join(", ", f.Select(n => $"`{n}`"))}").ToList();
        output.WriteLine(string.Join('\n', measured));

        var doc = File.ReadAllLines(Path.Combine(RepositoryRoot(), "docs", "design", "architecture.md"));
        var start = Array.FindIndex(doc, l => l.StartsWith("<!-- floors:begin", StringComparison.Ordinal));
        var end = Array.FindIndex(doc, l => l.StartsWith("<!-- floors:end", StringComparison.Ordinal));
        Assert.True(start >= 0 && end > start, "docs/design/architecture.md has no <!-- floors:begin --> ... <!-- floors:end --> block");
        var written = doc[(start + 1)..end].Where(l => l.Length > 0).ToList();
        Assert.True(measured.SequenceEqual(written),
            "the floors in docs/design/architecture.md differ from the code; the measured ones are:\n" + string.Join('\n', measured));
    }

    internal static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Portico.slnx")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Portico.slnx not found above " + AppContext.BaseDirectory);
    }
}

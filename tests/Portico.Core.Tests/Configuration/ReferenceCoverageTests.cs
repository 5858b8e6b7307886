using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Portico.Configuration;
using Portico.Core.Tests.Architecture;
using Portico.Engine;

namespace Portico.Core.Tests.Configuration;

/// <summary>
/// Every command Portico registers is in the operator's reference (docs/reference/commands.md), so a
/// new command cannot ship undocumented. A command counts as documented when a code span of the
/// reference starts with its verb (alone or in an alternation, <c>enable\|disable server</c>) followed
/// by its object words, as the reference writes them: <c>`rm serviceGroup &lt;name&gt;`</c>.
/// </summary>
public sealed partial class ReferenceCoverageTests
{
    [Fact]
    public void Every_registered_command_is_in_the_command_reference()
    {
        using var provider = new ServiceCollection().AddLogging().AddPorticoCore().BuildServiceProvider();
        var registry = provider.GetRequiredService<CommandRegistry>();
        var documented = Documented(File.ReadAllText(Path.Combine(FolderDependencyTests.RepositoryRoot(), "docs", "reference", "commands.md")));

        var missing = registry.Specs
            .Where(s => !documented.Contains(s.FullName.ToLowerInvariant()))
            .Select(s => s.FullName)
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToList();
        Assert.True(registry.Specs.Count > 50, $"only {registry.Specs.Count} commands registered: the composition changed");
        Assert.True(missing.Count == 0, "missing from docs/reference/commands.md: " + string.Join(", ", missing));
    }

    [Fact]
    public void The_reader_finds_alternations_and_object_words()
    {
        var found = Documented("| `enable\\|disable server <name>` | x |\n`rm serviceGroup <name>` and `show lb vserver [<name>]`, `stat service`");
        Assert.Contains("enable server", found);
        Assert.Contains("disable server", found);
        Assert.Contains("rm servicegroup", found);
        Assert.Contains("show lb vserver", found);
        Assert.Contains("show lb", found);
        Assert.Contains("stat service", found);
        Assert.DoesNotContain("rm server", found);
    }

    /// <summary>Every "verb object..." prefix the reference's code spans spell, lower case.</summary>
    private static HashSet<string> Documented(string markdown)
    {
        var found = new HashSet<string>(StringComparer.Ordinal);
        foreach (Match span in CodeSpan().Matches(markdown))
        {
            var words = span.Groups[1].Value.Replace("\\|", "|", StringComparison.Ordinal)
                .Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (words.Length == 0)
            {
                continue;
            }

            foreach (var verb in words[0].Split('|'))
            {
                var prefix = verb.ToLowerInvariant();
                found.Add(prefix);
                foreach (var word in words.Skip(1).TakeWhile(w => Regex.IsMatch(w, "^[A-Za-z][A-Za-z0-9]*$")))
                {
                    prefix += " " + word.ToLowerInvariant();
                    found.Add(prefix);
                }
            }
        }

        return found;
    }

    [GeneratedRegex("`([^`]+)`")]
    private static partial Regex CodeSpan();
}

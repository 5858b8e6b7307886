namespace Portico.Core.Tests.Http.Parsing;

/// <summary>Every row of the rules file (/work/notes/i16/http1-rules.md, rows 1-47) has at least one vector.</summary>
public sealed class CoverageTests
{
    /// <summary>Rows whose vector is a test rather than a message: 45 (a head arriving a byte at a time) is
    /// <see cref="SplitTests"/>, which parses every prefix of every vector.</summary>
    private static readonly string[] CoveredByTests = ["45"];

    [Fact]
    public void Every_rule_row_has_a_vector()
    {
        var rows = RequestVectors.All.Select(v => v.Row)
            .Concat(ResponseVectors.All.Select(v => v.Row))
            .Concat(ChunkVectors.All.Select(v => v.Row))
            .Concat(CoveredByTests)
            .ToHashSet();
        var missing = Enumerable.Range(1, 47).Select(r => r.ToString(System.Globalization.CultureInfo.InvariantCulture)).Where(r => !rows.Contains(r));
        Assert.Empty(missing);
    }
}

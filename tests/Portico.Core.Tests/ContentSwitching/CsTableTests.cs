using Portico.ContentSwitching;
using Portico.Core.Tests.Policies.Expressions;
using Portico.Policies.Expressions;
using Xunit;

namespace Portico.Core.Tests.ContentSwitching;

/// <summary>
/// The cs table's host lookup must choose exactly what NetScaler's scan in priority order chooses: checked against
/// a plain scan over tables that mix host rules with other rules, goto chains, duplicate and differently cased hosts.
/// </summary>
public sealed class CsTableTests
{
    private static readonly ExpressionContext Context = new();

    [Fact]
    public void A_virtual_host_table_is_looked_up_and_chooses_the_rule_a_scan_would()
    {
        var entries = Enumerable.Range(1, 100)
            .Select(i => Entry($"p{i}", i * 10, $"HTTP.REQ.HOSTNAME.EQ(\"site{i}.example\")", $"lb{i}"))
            .ToList();
        var table = new CsTable(entries, "fallback");

        Assert.Equal(100, table.HostTableEntries);
        Assert.Equal(99, table.Choose(new RequestView(Host: "site100.example"), out _));
        Assert.Equal(41, table.Choose(new RequestView(Host: "SITE42.Example"), out _));
        Assert.Equal(CsTable.NoMatch, table.Choose(new RequestView(Host: "other.example"), out _));
        Assert.Equal(CsTable.NoMatch, table.Choose(new RequestView(Host: null), out _));
    }

    [Fact]
    public void Rules_with_a_goto_or_that_do_more_than_compare_the_host_are_not_in_the_table()
    {
        var entries = new List<CsTable.Entry>
        {
            Entry("a", 10, "HTTP.REQ.HOSTNAME.EQ(\"a.example\")", "lb1"),
            Entry("b", 20, "HTTP.REQ.HOSTNAME.EQ(\"b.example\")", "lb2", next: -1),
            Entry("c", 30, "HTTP.REQ.HOSTNAME.TO_LOWER.EQ(\"c.example\")", "lb3"),
            Entry("d", 40, "HTTP.REQ.HOSTNAME.EQ(\"d.example\") && HTTP.REQ.URL.STARTSWITH(\"/x\")", "lb4"),
            Entry("e", 50, "HTTP.REQ.HOSTNAME.CONTAINS(\"e.example\")", "lb5"),
        };

        Assert.Equal(0, new CsTable(entries, null).HostTableEntries);
    }

    [Fact]
    public void Mixed_tables_choose_as_a_plain_scan_does()
    {
        var random = new Random(1717);
        var hosts = new[] { "a.example", "A.EXAMPLE", "b.example", "c.example", "d.example", "e.example", "f.example", "" };
        var others = new[]
        {
            "HTTP.REQ.URL.STARTSWITH(\"/api\")",
            "HTTP.REQ.HOSTNAME.ENDSWITH(\"example\")",
            "HTTP.REQ.HOSTNAME.SET_TEXT_MODE(NOIGNORECASE).EQ(\"A.EXAMPLE\")",
            "HTTP.REQ.HEADER(\"X-Test\").EQ(\"1\")",
            "TRUE",
        };
        for (var round = 0; round < 300; round++)
        {
            var entries = new List<CsTable.Entry>();
            var count = random.Next(1, 30);
            for (var i = 0; i < count; i++)
            {
                var rule = random.Next(4) == 0
                    ? others[random.Next(others.Length)]
                    : $"HTTP.REQ.HOSTNAME.EQ(\"{hosts[random.Next(hosts.Length)]}\")";
                long? next = random.Next(8) switch { 0 => -1, 1 => random.Next(0, count * 10), _ => null };
                entries.Add(Entry($"p{i}", i * 10, rule, $"lb{i}", next));
            }

            var table = new CsTable(entries, null);
            foreach (var host in hosts.Append("B.Example").Append(null))
            {
                foreach (var url in new[] { "/", "/api/x" })
                {
                    var request = new RequestView(Target: url, Host: host) { Headers = { ["X-Test"] = random.Next(2) == 0 ? "1" : "0" } };
                    Assert.True(Scan(table.Entries, request) == table.Choose(request, out _), $"round {round}, host {host ?? "(none)"}, url {url}");
                }
            }
        }
    }

    private static CsTable.Entry Entry(string name, long priority, string rule, string target, long? next = null) =>
        new(name, priority, ExpressionCompiler.CompileRule(rule, Context), target, next);

    // The documented order, written plainly: first match wins unless its goto sends evaluation on.
    private static int Scan(IReadOnlyList<CsTable.Entry> entries, IPolicyRequest request)
    {
        var chosen = CsTable.NoMatch;
        for (var i = 0; i < entries.Count; i++)
        {
            if (!entries[i].Rule.Matches(request))
            {
                continue;
            }

            chosen = i;
            if (entries[i].Next is not { } next)
            {
                return chosen;
            }

            if (next >= 0)
            {
                var j = -1;
                for (var k = i + 1; k < entries.Count; k++)
                {
                    if (entries[k].Priority >= next)
                    {
                        j = k;
                        break;
                    }
                }

                if (j < 0)
                {
                    return chosen;
                }

                i = j - 1;
            }
        }

        return chosen;
    }
}

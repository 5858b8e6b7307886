using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Portico.CommandLanguage;
using Portico.Configuration;
using Portico.Testing;

namespace Portico.Core.Tests.Configuration;

/// <summary>Every query returns data: a REST front end can serialise what the CLI printed, for every concern's queries.</summary>
public class QueryResultTests
{
    [Fact]
    public async Task Every_query_without_arguments_returns_json_serialisable_data_that_renders_the_text_printed()
    {
        await using var backend = TestTcpServer.Start("b1");
        await using var host = await PorticoHost.StartAsync(
            $"add service s1 127.0.0.1 TCP {backend.Port}\nadd lb vserver v TCP 127.0.0.1 {Ports.Free()}\nbind lb vserver v s1\n"
            + "add serviceGroup g TCP\nadd lb monitor m TCP\nadd ns simpleacl blk DENY -srcIP 10.9.9.9\nadd ns acl a ALLOW -srcIP 10.0.0.1\n"
            + "add ns netProfile np");
        var queries = host.Services.GetRequiredService<CommandRegistry>().Specs
            .Where(s => s.Kind == CommandKind.Query && !s.Positionals.Any(p => p.Required))
            .Select(s => $"{s.Verb} {s.Object}".Trim())
            .ToList();
        Assert.Contains("show lb vserver", queries);
        Assert.Contains("show ns events", queries);

        foreach (var query in queries)
        {
            var result = await host.MustApplyAsync(query);
            Assert.True(result.Results.Count == 1, $"{query}: {result.Results.Count} results, output: {string.Join("|", result.Output)}");
            var data = result.Results[0];
            Assert.Equal(result.Output.Single(), data.ToText());
            var json = JsonSerializer.Serialize(data, data.GetType());
            Assert.StartsWith("{", json);
        }
    }
}

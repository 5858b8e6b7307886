using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Portico.CommandLanguage;
using Portico.Configuration;
using Portico.Engine;

namespace Portico.Core.Tests.CommandLanguage;

/// <summary>The real command registry and a store to plan batches against, with no data path running.</summary>
public static class Language
{
    private static readonly Lazy<ServiceProvider> Services = new(() =>
    {
        var services = new ServiceCollection();
        services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        services.AddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
        services.AddPorticoCore();
        return services.BuildServiceProvider();
    });

    public static CommandParser Parser => Services.Value.GetRequiredService<CommandParser>();

    public static ConfigStore Store => Services.Value.GetRequiredService<ConfigStore>();

    public static ParsedCommand Command(string line) =>
        Parser.Parse(line, 1) is ParseOutcome.Command c ? c.Parsed : throw new InvalidOperationException($"not a command: {line}");

    public static ConfigError Error(string line)
    {
        var e = Assert.Throws<ConfigErrorException>(() => Parser.Parse(line, 1));
        return e.Error;
    }

    /// <summary>Plans a batch on an empty config.</summary>
    public static BatchPlan Plan(string text) => Store.Plan(RunningConfig.Empty, text, "test");

    public static RunningConfig Build(string text)
    {
        var plan = Plan(text);
        Assert.True(plan.Errors.Count == 0, string.Join("\n", plan.Errors));
        return plan.Next!;
    }
}

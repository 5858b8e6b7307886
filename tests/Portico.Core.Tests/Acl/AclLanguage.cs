using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Portico.CommandLanguage;
using Portico.Configuration;
using Portico.Engine;

namespace Portico.Core.Tests.Acl;

/// <summary>
/// A real config store with the real command language on a fake clock, without data paths: batches
/// apply on top of each other all or nothing, and queries print what an operator sees.
/// </summary>
internal sealed class AclLanguage : IDisposable
{
    private readonly ServiceProvider _services;

    public AclLanguage()
    {
        var services = new ServiceCollection();
        services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        services.AddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
        services.AddSingleton<TimeProvider>(Time);
        services.AddPorticoCore();
        _services = services.BuildServiceProvider();
    }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));

    public IServiceProvider Services => _services;

    public ConfigStore Store => _services.GetRequiredService<ConfigStore>();

    public RunningConfig Config => Store.Current;

    public long Now => Time.GetUtcNow().UtcTicks;

    public BatchResult Run(string text) => Store.ApplyAsync(text, "test", _services).GetAwaiter().GetResult();

    /// <summary>Applies and fails the test unless the batch is clean; returns what its queries printed.</summary>
    public string Apply(string text)
    {
        var result = Run(text);
        Assert.True(result.Applied, result.Describe());
        return string.Concat(result.Output);
    }

    /// <summary>The single error of a batch that must fail, with proof that nothing changed.</summary>
    public ConfigError Fails(string text)
    {
        var before = Config;
        var result = Run(text);
        Assert.False(result.Applied, "the batch applied: " + result.Describe());
        Assert.Same(before, Config);
        return Assert.Single(result.Errors);
    }

    public void Dispose() => _services.Dispose();
}

using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Portico.Engine;

namespace Portico.Verbs;

/// <summary>The engine's services without running anything, for verbs that work offline on files.</summary>
internal static class LocalServices
{
    public static ServiceProvider Create()
    {
        var services = new ServiceCollection();
        services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        services.AddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
        services.AddPorticoCore();
        return services.BuildServiceProvider();
    }
}

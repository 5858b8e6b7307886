using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Portico.Capture.Commands;
using Portico.Capture.Tap;
using Portico.CommandLanguage;
using Portico.Configuration;
using Portico.Runtime;

namespace Portico.Capture;

/// <summary>Registers packet capture: the trace manager, the decrypted tap the data paths consult, and the nstrace commands.</summary>
public static class CaptureServiceCollectionExtensions
{
    public static IServiceCollection AddPorticoCapture(this IServiceCollection services)
    {
        services.TryAddSingleton(new TraceSettings());
        services.TryAddSingleton<ConnectionTaps>();
        services.TryAddSingleton(sp =>
        {
            var runtime = sp.GetRequiredService<IRuntimeSource>();
            var manager = new TraceManager(sp.GetRequiredService<TraceSettings>(), sp.GetRequiredService<ConnectionTaps>(),
                sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<TraceManager>>(), () => runtime.Current);
            runtime.Changed += manager.OnRuntimeChanged;
            return manager;
        });
        services.AddSingleton<ICommandModule, TraceCommands>();
        services.AddSingleton<Counters.ICounterSet, CaptureCounterSet>();
        return services;
    }
}

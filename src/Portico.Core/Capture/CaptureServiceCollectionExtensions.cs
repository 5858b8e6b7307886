using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Portico.Capture.Tap;
using Portico.CommandLanguage;
using Portico.Hosting;

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
            var engine = sp.GetRequiredService<PorticoEngine>();
            var manager = new TraceManager(sp.GetRequiredService<TraceSettings>(), sp.GetRequiredService<ConnectionTaps>(),
                sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<TraceManager>>(), () => engine.Runtime);
            engine.RuntimeChanged += manager.OnRuntimeChanged;
            return manager;
        });
        services.AddSingleton<ICommandModule, TraceCommands>();
        services.AddSingleton<Counters.ICounterSet, CaptureCounterSet>();
        return services;
    }
}

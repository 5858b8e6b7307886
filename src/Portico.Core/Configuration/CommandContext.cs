using Microsoft.Extensions.DependencyInjection;

namespace Portico.Configuration;

/// <summary>
/// What every query or action command sees: the config store and the running config. Services are not
/// reached from here: a handler declares them in its constructor (see <c>CommandSpecBuilder.Runs&lt;THandler&gt;</c>).
/// </summary>
public sealed class CommandContext(ConfigStore store, IServiceProvider services)
{
    public ConfigStore Store { get; } = store;

    public RunningConfig Config => Store.Current;

    /// <summary>
    /// Builds a handler with its constructor's services, the way ASP.NET activates a controller. Only the
    /// spec binding calls it, so no handler looks a service up by type.
    /// </summary>
    internal THandler Activate<THandler>() where THandler : class =>
        ActivatorUtilities.GetServiceOrCreateInstance<THandler>(services);
}

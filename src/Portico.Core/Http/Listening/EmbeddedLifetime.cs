using Microsoft.Extensions.Hosting;

namespace Portico.Http.Listening;

/// <summary>
/// The L7 application lives inside Portico's process and stops when Portico tells it to: it must not
/// catch Ctrl-C or SIGTERM itself (the default console lifetime would, and stop before the drain).
/// </summary>
internal sealed class EmbeddedLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

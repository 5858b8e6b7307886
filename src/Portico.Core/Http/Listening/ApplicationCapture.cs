using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Portico.Http.Listening;

/// <summary>
/// The <see cref="IServer"/> of the L7 web application. It listens on nothing itself: it keeps the
/// application (ASP.NET Core's request pipeline with YARP in it) that the host hands it, and starts one
/// <see cref="KestrelServer"/> per vserver listener on that same application, each started and stopped on
/// its own as the config changes.
/// </summary>
internal sealed class ApplicationCapture : IServer
{
    private Func<KestrelServer, CancellationToken, Task>? _start;

    public IFeatureCollection Features { get; } = new FeatureCollection();

    /// <summary>Starts <paramref name="server"/> serving the captured application.</summary>
    public Task StartOnAsync(KestrelServer server, CancellationToken cancellationToken) =>
        (_start ?? throw new InvalidOperationException("the L7 application has not started")).Invoke(server, cancellationToken);

    public Task StartAsync<TContext>(Microsoft.AspNetCore.Hosting.Server.IHttpApplication<TContext> application, CancellationToken cancellationToken)
        where TContext : notnull
    {
        _start = (server, ct) => server.StartAsync(application, ct);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose()
    {
    }
}

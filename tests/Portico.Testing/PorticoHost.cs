using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Portico.Admin;
using Portico.Configuration;
using Portico.Forwarding.Tcp;
using Portico.Engine;

namespace Portico.Testing;

/// <summary>
/// A real Portico engine in the test process: the same services and hosted services as
/// <c>portico run</c>, real sockets, a real admin socket in a temporary folder.
/// </summary>
public sealed class PorticoHost : IAsyncDisposable
{
    private readonly IHost _host;

    private PorticoHost(IHost host, string adminSocket, string? configPath)
    {
        _host = host;
        AdminSocket = adminSocket;
        ConfigPath = configPath;
    }

    public PorticoEngine Engine => _host.Services.GetRequiredService<PorticoEngine>();

    public IServiceProvider Services => _host.Services;

    public ConnectionTable Connections => _host.Services.GetRequiredService<ConnectionTable>();

    public string AdminSocket { get; }

    public string? ConfigPath { get; }

    /// <summary>Starts on <paramref name="config"/>; with <paramref name="configPath"/> the text is also written there.</summary>
    public static async Task<PorticoHost> StartAsync(string config, string? configPath = null, Action<IServiceCollection>? configure = null,
        TimeSpan? drainTimeout = null)
    {
        var dir = Directory.CreateTempSubdirectory("portico-test-").FullName;
        var socket = Path.Combine(dir, "admin.sock");
        if (configPath is not null)
        {
            await File.WriteAllTextAsync(configPath, config);
        }

        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddPorticoCore();
        builder.Services.AddSingleton(new PorticoStartup(config, "test config", configPath, drainTimeout ?? TimeSpan.FromSeconds(5)));
        builder.Services.AddSingleton<EngineHostedService>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<EngineHostedService>());
        builder.Services.AddPorticoAdmin(socket);
        configure?.Invoke(builder.Services);
        var host = builder.Build();
        await host.StartAsync();
        return new PorticoHost(host, socket, configPath);
    }

    public Task<BatchResult> ApplyAsync(string commands) => Engine.ApplyAsync(commands, "test");

    /// <summary>Applies and fails the test with the full report unless the batch applied.</summary>
    public async Task<BatchResult> MustApplyAsync(string commands)
    {
        var result = await ApplyAsync(commands);
        if (!result.Applied)
        {
            throw new InvalidOperationException("batch rejected:\n" + result.Describe());
        }

        return result;
    }

    /// <summary>Where a vserver listens.</summary>
    public IPEndPoint EndPointOf(string vserver) =>
        Engine.Listeners.EndPointOf(vserver) ?? throw new InvalidOperationException($"{vserver} is not listening: {Engine.Listeners.StatusOf(vserver)}");

    /// <summary>Stops like Ctrl-C does: drain, then cut.</summary>
    public Task StopAsync() => _host.StopAsync();

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }
}

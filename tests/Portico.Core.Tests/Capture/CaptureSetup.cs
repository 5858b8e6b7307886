using Microsoft.Extensions.DependencyInjection;
using Portico.Capture;
using Portico.Testing;

namespace Portico.Core.Tests.Capture;

/// <summary>An in-process Portico whose trace files go to a temporary directory deleted at the end.</summary>
internal sealed class CaptureSetup : IAsyncDisposable
{
    private CaptureSetup(PorticoHost host, string directory)
    {
        Host = host;
        Directory = directory;
    }

    public PorticoHost Host { get; }

    public string Directory { get; }

    public TraceManager Traces => Host.Services.GetRequiredService<TraceManager>();

    public static async Task<CaptureSetup> StartAsync(string config)
    {
        var dir = System.IO.Directory.CreateTempSubdirectory("portico-trace-").FullName;
        try
        {
            var host = await PorticoHost.StartAsync(config, configure: s => s.AddSingleton(new TraceSettings { Directory = dir }));
            return new CaptureSetup(host, dir);
        }
        catch
        {
            System.IO.Directory.Delete(dir, recursive: true);
            throw;
        }
    }

    /// <summary>Runs a command that must succeed; returns its output.</summary>
    public async Task<string> MustAsync(string command)
    {
        var result = await Host.ApplyAsync(command);
        var text = result.Describe();
        Assert.True(result.Applied && !text.Contains("ERROR", StringComparison.Ordinal), $"{command}:\n{text}");
        return text;
    }

    /// <summary>The session of a capture, running or stopped.</summary>
    public TraceSession Session(string name) => Traces.List().Single(s => s.Name == name);

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Host.DisposeAsync();
        }
        finally
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }
}

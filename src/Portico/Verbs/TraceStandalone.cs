using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Portico.Capture.Commands;
using Portico.Capture.Tap;
using Portico.Capture;
using Portico.CommandLanguage;
using Portico.Configuration;
using Portico.Engine;
using Portico.Runtime;

namespace Portico.Verbs;

/// <summary>
/// <c>portico trace --standalone</c>: a wire capture in this process, for a host where Portico is not
/// running (or to capture before starting it). Names in the filter come from <c>--config</c>; the decrypted
/// tap needs the running Portico, whose connections it reads.
/// </summary>
internal static class TraceStandalone
{
    public static async Task<int> RunAsync(string line, FileInfo? configFile, string? directory, TimeSpan? limit, CancellationToken cancellationToken)
    {
        using var services = LocalServices.Create();
        var model = RuntimeModel.Empty;
        if (configFile is not null)
        {
            if (!configFile.Exists)
            {
                await Console.Error.WriteLineAsync($"portico trace: config file {configFile.FullName} not found").ConfigureAwait(false);
                return 2;
            }

            var plan = services.GetRequiredService<ConfigStore>().Check(await File.ReadAllTextAsync(configFile.FullName, cancellationToken).ConfigureAwait(false), configFile.Name);
            if (plan.Errors.Count > 0 || plan.Next is null)
            {
                await Console.Error.WriteAsync($"portico trace: {configFile.Name} has errors:\n{string.Concat(plan.Errors.Select(e => $"  {e}\n"))}").ConfigureAwait(false);
                return 2;
            }

            model = RuntimeCompiler.Compile(plan.Next, RuntimeModel.Empty);
        }

        TraceRequest request;
        try
        {
            if (services.GetRequiredService<CommandParser>().Parse(line, 1) is not ParseOutcome.Command { Parsed: var parsed })
            {
                throw new InvalidOperationException($"'{line}' did not parse as start nstrace");
            }

            request = TraceCommands.Request(parsed);
        }
        catch (ConfigErrorException e)
        {
            await Console.Error.WriteLineAsync($"portico trace: {e.Error.Message}").ConfigureAwait(false);
            return 2;
        }

        if (request.SslPlain)
        {
            await Console.Error.WriteLineAsync("portico trace: --sslplain taps the running Portico's own connections; run it without --standalone while Portico runs")
                .ConfigureAwait(false);
            return 2;
        }

        var settings = directory is null ? new TraceSettings() : new TraceSettings { Directory = directory };
        using var manager = new TraceManager(settings, new ConnectionTaps(), TimeProvider.System, NullLogger<TraceManager>.Instance, () => model);
        TraceSession session;
        try
        {
            session = manager.Start(request);
        }
        catch (TraceStartException e)
        {
            await Console.Error.WriteLineAsync($"portico trace: {e.Message}").ConfigureAwait(false);
            return 1;
        }

        Console.WriteLine($"Trace {session.Name} started (standalone): {session.Source.Where}, filter {session.Filter.Bpf ?? "(none)"}");
        Console.WriteLine($"Writing {session.Files.Paths[^1]}");
        Console.WriteLine(limit is null ? "Capturing; Ctrl-C stops." : $"Capturing for {limit.Value.TotalSeconds:0.###} s; Ctrl-C stops sooner.");
        var deadline = limit is { } l ? DateTime.UtcNow + l : DateTime.MaxValue;
        while (session.Running && !cancellationToken.IsCancellationRequested && DateTime.UtcNow < deadline)
        {
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        manager.Stop(session.Name, "portico trace ended");
        var summary = $"Trace {session.Name} stopped: {session.StopReason}\n{session.Summary()}";
        Console.Write(summary);
        TraceVerb.PrintHint(summary);
        return 0;
    }
}

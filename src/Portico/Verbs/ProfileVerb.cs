using System.CommandLine;
using Portico.Admin.AdminSocket;
using Portico.Profiling;

namespace Portico.Verbs;

/// <summary>
/// <c>portico profile --seconds N</c>: sample the running Portico's CPU for N seconds (EventPipe, no
/// restart) and print the hottest methods by exclusive and inclusive samples, as nsprofmon prints the
/// hottest symbols. The process is found from its admin socket (the kernel names the peer's pid), or
/// given with <c>--pid</c>; <c>--input</c> reports on a capture taken earlier.
/// </summary>
internal static class ProfileVerb
{
    public static Command Create()
    {
        var seconds = new Option<double>("--seconds", "-s") { Description = "How long to sample", DefaultValueFactory = _ => 10 };
        var pid = new Option<int?>("--pid", "-p") { Description = "Process to profile (default: the Portico serving --admin-socket)" };
        var admin = new Option<string>("--admin-socket")
        {
            Description = "Unix socket of the running Portico, to find its process id",
            DefaultValueFactory = _ => AdminSocketPath.Default,
        };
        var output = new Option<FileInfo?>("--output", "-o") { Description = "Keep the raw capture here (.nettrace: PerfView, dotnet-trace convert, speedscope after conversion)" };
        var input = new Option<FileInfo?>("--input", "-i") { Description = "Report on an existing .nettrace capture instead of sampling (the automatic captures of 'set ns profiler')" };
        var top = new Option<int>("--top", "-n") { Description = "Methods listed in each ranking", DefaultValueFactory = _ => 25 };
        var external = new Option<bool>("--include-waiting") { Description = "Also count threads outside managed code (blocked in the kernel, or in native code)" };
        var command = new Command("profile", "Sample the running Portico's CPU and print the hottest methods (nsprofmon)")
        {
            seconds, pid, admin, output, input, top, external,
        };
        command.SetAction(async (result, ct) =>
        {
            try
            {
                string path;
                var temporary = false;
                if (result.GetValue(input) is { } existing)
                {
                    path = existing.FullName;
                }
                else
                {
                    var target = result.GetValue(pid) ?? FindPortico(result.GetValue(admin)!);
                    var duration = TimeSpan.FromSeconds(Math.Clamp(result.GetValue(seconds), 0.1, 3600));
                    path = result.GetValue(output)?.FullName ?? Path.Combine(Path.GetTempPath(), $"portico-profile-{Environment.ProcessId}.nettrace");
                    temporary = result.GetValue(output) is null;
                    await Console.Error.WriteLineAsync($"Sampling process {target} for {duration.TotalSeconds:0.#} s...").ConfigureAwait(false);
                    await CpuProfiler.CaptureAsync(target, duration, path, ct).ConfigureAwait(false);
                }

                try
                {
                    var report = ProfileReport.Analyze(path, result.GetValue(external));
                    await Console.Out.WriteAsync(report.Format(result.GetValue(top))).ConfigureAwait(false);
                    if (!temporary)
                    {
                        await Console.Error.WriteLineAsync($"Capture: {path}").ConfigureAwait(false);
                    }
                }
                finally
                {
                    if (temporary)
                    {
                        File.Delete(path);
                    }
                }

                return 0;
            }
            catch (AdminUnavailableException e)
            {
                await Console.Error.WriteLineAsync($"portico profile: {e.Message}").ConfigureAwait(false);
                return 3;
            }
            catch (Exception e) when (e is Microsoft.Diagnostics.NETCore.Client.ServerNotAvailableException or UnauthorizedAccessException or IOException
                                          or InvalidOperationException)
            {
                await Console.Error.WriteLineAsync($"portico profile: {e.Message}").ConfigureAwait(false);
                return 1;
            }
        });
        return command;
    }

    private static int FindPortico(string socket)
    {
        using var client = AdminClient.Connect(socket);
        return client.ServerProcessId ?? throw new AdminUnavailableException($"cannot tell which process serves {socket}; pass --pid");
    }
}

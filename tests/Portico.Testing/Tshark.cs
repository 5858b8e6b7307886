using System.Diagnostics;

namespace Portico.Testing;

/// <summary>The real tshark reading trace files; a missing tshark fails the test with the fix (CI installs it).</summary>
public static class Tshark
{
    /// <summary>One line per packet: the fields asked for, tab-separated.</summary>
    public static async Task<List<string[]>> FieldsAsync(string file, string? displayFilter, params string[] fields)
    {
        var args = new List<string> { "-r", file, "-T", "fields", "-E", "separator=/t" };
        if (displayFilter is not null)
        {
            args.AddRange(["-Y", displayFilter]);
        }

        foreach (var f in fields)
        {
            args.AddRange(["-e", f]);
        }

        var output = await RunAsync(args);
        return [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('\t'))];
    }

    /// <summary>tshark's output for <paramref name="args"/>; throws with its stderr when it fails.</summary>
    public static async Task<string> RunAsync(IEnumerable<string> args) => await RunAsync(args, "tshark");

    /// <summary>capinfos -k: the file's capture comment (pcapng section header).</summary>
    public static Task<string> CapinfosCommentAsync(string file) => RunAsync(["-k", file], "capinfos");

    private static async Task<string> RunAsync(IEnumerable<string> args, string tool)
    {
        var psi = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        Process process;
        try
        {
            process = Process.Start(psi)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"{tool} is needed to read the trace files and could not be started ({e.Message}): "
                + "apt-get install tshark (.ci/run installs it)", e);
        }

        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await process.WaitForExitAsync(timeout.Token);
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"{tool} {string.Join(' ', psi.ArgumentList)} exited {process.ExitCode}: {await stderr}");
            }

            return await stdout;
        }
    }
}

using System.Diagnostics;
using System.Text;

namespace Portico.Testing;

/// <summary>The real <c>portico</c> executable, run as a child process the way an operator runs it.</summary>
public sealed class PorticoProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private PorticoProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>Everything the process printed so far.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>The path of portico.dll next to the test assembly (the test project references the executable).</summary>
    public static string Dll => Path.Combine(AppContext.BaseDirectory, "portico.dll");

    public static PorticoProcess Start(params string[] args) => Launch("dotnet", [Dll, .. args]);

    /// <summary>Runs the executable inside a network namespace (<c>ip netns exec</c>, which needs root).</summary>
    public static PorticoProcess StartInNamespace(string netns, params string[] args) => Launch("ip", ["netns", "exec", netns, "dotnet", Dll, .. args]);

    private static PorticoProcess Launch(string file, IEnumerable<string> args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        return new PorticoProcess(Process.Start(psi)!);
    }

    /// <summary>Runs a verb to completion; returns its exit code and output.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string[] args, string? input = null, TimeSpan? timeout = null)
    {
        await using var p = Start(args);
        if (input is not null)
        {
            await p._process.StandardInput.WriteAsync(input);
        }

        p._process.StandardInput.Close();
        await p._process.WaitForExitAsync().WaitAsync(timeout ?? TimeSpan.FromSeconds(60));
        p._process.WaitForExit();
        return (p.ExitCode, p.Output);
    }

    public async Task<bool> WaitForOutputAsync(string text, TimeSpan within)
    {
        await Eventually.TrueAsync(() => Output.Contains(text, StringComparison.Ordinal) || _process.HasExited, within);
        if (_process.HasExited)
        {
            // Its last lines may still be on their way through the output pipes: read them before judging (and so
            // the caller's message shows why it ended).
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        }

        return Output.Contains(text, StringComparison.Ordinal);
    }

    /// <summary>Sends SIGINT, as Ctrl-C does.</summary>
    public void Interrupt() => Process.Start("kill", ["-INT", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!.WaitForExit();

    public Task WaitForExitAsync(TimeSpan within) => _process.WaitForExitAsync().WaitAsync(within);

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}

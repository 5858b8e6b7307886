using System.Diagnostics;
using System.Text;

namespace Portico.Scenarios.Lab;

/// <summary>A background process of a scenario (Portico in a namespace, a real server, nginx, HAProxy, a capture): its output kept, killed with its children when the lab goes away.</summary>
public sealed class LabProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    public LabProcess(string file, IEnumerable<string> args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        _process = Process.Start(psi)!;
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

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

    public StreamWriter Input => _process.StandardInput;

    public Task<bool> WaitForOutputAsync(string text, TimeSpan within) =>
        Portico.Testing.Eventually.TrueAsync(() => Output.Contains(text, StringComparison.Ordinal) || _process.HasExited, within)
            .ContinueWith(_ => Output.Contains(text, StringComparison.Ordinal), TaskScheduler.Default);

    public async Task WaitForExitAsync(TimeSpan within) => await _process.WaitForExitAsync().WaitAsync(within);

    /// <summary>Sends SIGINT (tcpdump then writes its file and exits).</summary>
    public void Interrupt() => Process.Start("kill", ["-INT", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!.WaitForExit();

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

    private bool _disposed;

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
            // It exited between the check and the kill.
        }

        _process.Dispose();
    }
}

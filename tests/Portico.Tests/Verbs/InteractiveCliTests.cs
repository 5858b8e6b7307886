using System.Diagnostics;
using System.Text;
using Portico.Admin.AdminSocket;
using Portico.Admin.Cli;
using Portico.Testing;

namespace Portico.Tests.Verbs;

/// <summary>
/// <c>portico cli</c> as an operator types into it, on a real terminal (a pty from util-linux's <c>script</c>):
/// Ctrl-C clears the line, Tab completes object names, the prompt marks unsaved changes, and a Portico restart
/// is a reconnect, not a stack trace.
/// </summary>
public class InteractiveCliTests
{
    [Fact]
    public async Task Ctrl_c_clears_the_line_tab_completes_names_and_the_prompt_marks_unsaved_changes()
    {
        var dir = Directory.CreateTempSubdirectory().FullName;
        var socket = Path.Combine(dir, "admin.sock");
        var config = Path.Combine(dir, "portico.conf");
        await File.WriteAllTextAsync(config, "add server web1 10.0.0.1\n");
        await using var portico = PorticoProcess.Start("run", "--config", config, "--admin-socket", socket, "--admin-http", "none");
        Assert.True(await portico.WaitForOutputAsync("Portico is running", TimeSpan.FromSeconds(30)), portico.Output);

        await using var cli = Terminal.Start(socket);
        await cli.ExpectAsync("\n> ");

        // Typed, then Ctrl-C: the line is gone, the CLI stays, nothing ran.
        await cli.TypeAsync("rm server web1");
        await cli.TypeAsync("\x03");
        await cli.ExpectAsync("^C");
        Assert.False(cli.HasExited);

        // Tab completes the server's name from the running config; the completed command runs.
        await cli.TypeAsync("show server we\t");
        await cli.ExpectAsync("show server web1 ");
        await cli.TypeAsync("\r");
        await cli.ExpectAsync("web1  10.0.0.1");

        await cli.TypeAsync("add server web2 10.0.0.2\r");
        await cli.ExpectAsync("\n*> ");
        await cli.TypeAsync("save ns config\r");
        await cli.ExpectAsync("Saved to");
        await cli.ExpectAsync("\n> ", after: "Saved to");

        await cli.TypeAsync("exit\r");
        Assert.Equal(0, await cli.ExitCodeAsync());
        Assert.Contains("add server web1 10.0.0.1", await File.ReadAllTextAsync(config));
    }

    [Fact]
    public async Task The_interactive_cli_reconnects_when_Portico_restarts()
    {
        var dir = Directory.CreateTempSubdirectory().FullName;
        var socket = Path.Combine(dir, "admin.sock");
        var config = Path.Combine(dir, "portico.conf");
        await File.WriteAllTextAsync(config, "add server web1 10.0.0.1\n");
        var first = PorticoProcess.Start("run", "--config", config, "--admin-socket", socket, "--admin-http", "none");
        Assert.True(await first.WaitForOutputAsync("Portico is running", TimeSpan.FromSeconds(30)), first.Output);

        await using var cli = Terminal.Start(socket);
        await cli.ExpectAsync("\n> ");
        first.Interrupt();
        await first.WaitForExitAsync(TimeSpan.FromSeconds(30));
        await first.DisposeAsync();

        await using var second = PorticoProcess.Start("run", "--config", config, "--admin-socket", socket, "--admin-http", "none");
        Assert.True(await second.WaitForOutputAsync("Portico is running", TimeSpan.FromSeconds(30)), second.Output);
        await cli.TypeAsync("show server web1\r");
        await cli.ExpectAsync("reconnecting");
        await cli.ExpectAsync("Reconnected.");
        await cli.ExpectAsync("10.0.0.1", after: "Reconnected.");
        Assert.DoesNotContain("   at ", cli.Output);

        await cli.TypeAsync("exit\r");
        Assert.Equal(0, await cli.ExitCodeAsync());
    }

    [Fact]
    public async Task A_session_resends_a_command_that_never_reached_the_stopped_Portico()
    {
        var dir = Directory.CreateTempSubdirectory().FullName;
        var socket = Path.Combine(dir, "admin.sock");
        var config = Path.Combine(dir, "portico.conf");
        await File.WriteAllTextAsync(config, "");
        var first = PorticoProcess.Start("run", "--config", config, "--admin-socket", socket, "--admin-http", "none");
        Assert.True(await first.WaitForOutputAsync("Portico is running", TimeSpan.FromSeconds(30)), first.Output);

        var notices = new StringWriter();
        using var session = new AdminSession(socket, notices, TimeProvider.System);
        Assert.True((await session.ApplyAsync("add server s1 10.0.0.1", CancellationToken.None))!.Ok);
        first.Interrupt();
        await first.WaitForExitAsync(TimeSpan.FromSeconds(30));
        await first.DisposeAsync();

        await using var second = PorticoProcess.Start("run", "--config", config, "--admin-socket", socket, "--admin-http", "none");
        Assert.True(await second.WaitForOutputAsync("Portico is running", TimeSpan.FromSeconds(30)), second.Output);
        var answer = await session.ApplyAsync("add server s2 10.0.0.2\nshow server", CancellationToken.None);
        Assert.NotNull(answer);
        Assert.True(answer.Ok, answer.Output);
        Assert.Contains("1 server(s)", answer.Output);
        Assert.Contains("reconnecting", notices.ToString());
        Assert.Contains("Reconnected.", notices.ToString());
    }

    /// <summary><c>portico cli</c> on a pseudo-terminal: keystrokes in, everything the terminal shows out.</summary>
    private sealed class Terminal : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly StringBuilder _output = new();
        private readonly Task _reader;

        private Terminal(Process process)
        {
            _process = process;
            _reader = Task.Run(async () =>
            {
                var buffer = new char[4096];
                int n;
                while ((n = await process.StandardOutput.ReadAsync(buffer)) > 0)
                {
                    lock (_output)
                    {
                        _output.Append(buffer, 0, n);
                    }
                }
            });
        }

        public string Output
        {
            get
            {
                lock (_output)
                {
                    // The editor redraws with \r and erases with ESC[K; a newline on the terminal is \r\n.
                    return _output.ToString().Replace("\r\n", "\n", StringComparison.Ordinal);
                }
            }
        }

        public bool HasExited => _process.HasExited;

        public static Terminal Start(string socket)
        {
            var command = $"dotnet {PorticoProcess.Dll} cli --admin-socket {socket}";
            var psi = new ProcessStartInfo("script", ["-q", "-e", "-c", command, "/dev/null"])
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            return new Terminal(Process.Start(psi)!);
        }

        public async Task TypeAsync(string keys)
        {
            await _process.StandardInput.WriteAsync(keys);
            await _process.StandardInput.FlushAsync();
        }

        public async Task ExpectAsync(string text, string? after = null)
        {
            bool Seen()
            {
                var output = Output;
                var from = after is null ? 0 : output.LastIndexOf(after, StringComparison.Ordinal);
                return from >= 0 && output.IndexOf(text, from, StringComparison.Ordinal) >= 0;
            }

            Assert.True(await Eventually.TrueAsync(Seen, Eventually.Timeout * 2), $"expected '{text}' on the terminal:\n{Output}");
        }

        public async Task<int> ExitCodeAsync()
        {
            await _process.WaitForExitAsync().WaitAsync(Eventually.Timeout * 2);
            return _process.ExitCode;
        }

        public async ValueTask DisposeAsync()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }

            await _reader;
            _process.Dispose();
        }
    }
}

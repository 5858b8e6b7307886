using System.Diagnostics;
using Portico.Testing;

namespace Portico.Tests.Verbs;

/// <summary>
/// The admin socket as a hostile local user would attack it: a squatted directory, an impostor listening in
/// Portico's place, a swapped argument. These switch to user nobody (uid 65534) and must run as root (CI does).
/// </summary>
public class AdminSocketTrustTests
{
    private const int Nobody = 65534;

    [Fact]
    public async Task A_squatted_directory_with_an_impostor_is_refused_by_run_and_by_cli_before_a_byte_is_sent()
    {
        RequireRoot();
        var dir = Path.Combine(Directory.CreateTempSubdirectory().FullName, "portico-victim");
        Directory.CreateDirectory(dir);
        Chown(dir, Nobody);
        File.SetUnixFileMode(dir, (UnixFileMode)0b111_111_111);
        Chmod711(Path.GetDirectoryName(dir)!);
        var socket = Path.Combine(dir, "admin.sock");
        await using var impostor = await Impostor.StartAsync(socket);

        var (run, runText) = await PorticoProcess.RunAsync(["run", "--config", EmptyConfig(), "--admin-socket", socket, "--admin-http", "none"]);
        Assert.True(run == 2, runText);
        Assert.Contains($"refusing admin socket directory {dir}: it is owned by uid 65534 (nobody) (mode 0777)", runText);
        Assert.DoesNotContain("listening on", runText);
        Assert.True(File.Exists(socket), "the impostor's socket is not Portico's to remove");

        var (cli, cliText) = await PorticoProcess.RunAsync(["cli", "--admin-socket", socket, "-c", "add ssl certKey c -cert /x.pem -key /x.key -passplain secret"]);
        Assert.True(cli == 3, cliText);
        Assert.Contains($"refusing {socket}: it is served by a process of uid 65534 (nobody), not of root", cliText);
        Assert.Equal("received 0", await impostor.NextConnectionAsync());
    }

    [Fact]
    public async Task A_socket_of_another_user_at_the_path_is_refused_and_left_in_place()
    {
        RequireRoot();
        var dir = Directory.CreateTempSubdirectory().FullName;
        var socket = Path.Combine(dir, "admin.sock");
        await using (await Impostor.StartAsync(socket, asNobody: false))
        {
            // A socket file nobody owns, nothing listening on it: a stale socket, but not ours.
        }

        Chown(socket, Nobody);
        var (run, runText) = await PorticoProcess.RunAsync(["run", "--config", EmptyConfig(), "--admin-socket", socket, "--admin-http", "none"]);
        Assert.True(run == 2, runText);
        Assert.Contains($"refusing admin socket {socket}: the socket there is owned by uid 65534 (nobody)", runText);
        Assert.True(File.Exists(socket));
    }

    [Fact]
    public async Task A_regular_file_given_as_admin_socket_stops_the_start_and_is_kept()
    {
        var dir = Directory.CreateTempSubdirectory().FullName;
        var file = Path.Combine(dir, "portico.conf");
        await File.WriteAllTextAsync(file, "add server keep-me 10.0.0.1\n");
        var (run, runText) = await PorticoProcess.RunAsync(["run", "--config", EmptyConfig(), "--admin-socket", file, "--admin-http", "none"]);
        Assert.True(run == 2, runText);
        Assert.Contains($"refusing to start: {file} exists and is a regular file, not a socket; Portico leaves it as it is", runText);
        Assert.Equal("add server keep-me 10.0.0.1\n", await File.ReadAllTextAsync(file));
    }

    [Fact]
    public async Task A_directory_others_can_write_is_refused_and_a_missing_one_is_created_owner_only()
    {
        var parent = Directory.CreateTempSubdirectory().FullName;
        var open = Path.Combine(parent, "open");
        Directory.CreateDirectory(open);
        File.SetUnixFileMode(open, (UnixFileMode)0b111_111_111);
        var (run, runText) = await PorticoProcess.RunAsync(["run", "--config", EmptyConfig(), "--admin-socket", Path.Combine(open, "admin.sock"), "--admin-http", "none"]);
        Assert.True(run == 2, runText);
        Assert.Contains($"refusing admin socket directory {open}: mode 0777", runText);
        Assert.Contains($"chmod 700 {open}", runText);

        var fresh = Path.Combine(parent, "fresh");
        var socket = Path.Combine(fresh, "admin.sock");
        await using var portico = PorticoProcess.Start("run", "--config", EmptyConfig(), "--admin-socket", socket, "--admin-http", "none");
        Assert.True(await portico.WaitForOutputAsync("Portico is running", TimeSpan.FromSeconds(30)), portico.Output);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(fresh));
    }

    [Fact]
    public async Task Show_of_a_missing_object_exits_non_zero_and_a_good_show_zero()
    {
        var dir = Directory.CreateTempSubdirectory().FullName;
        var socket = Path.Combine(dir, "admin.sock");
        await using var portico = PorticoProcess.Start("run", "--config", EmptyConfig(), "--admin-socket", socket, "--admin-http", "none");
        Assert.True(await portico.WaitForOutputAsync("Portico is running", TimeSpan.FromSeconds(30)), portico.Output);

        var (missing, missingText) = await PorticoProcess.RunAsync(["cli", "--admin-socket", socket, "-c", "show lb vserver ghost"]);
        Assert.Equal(1, missing);
        Assert.Contains("no lb vserver named 'ghost'", missingText);
        var (found, foundText) = await PorticoProcess.RunAsync(["cli", "--admin-socket", socket, "-c", "show lb vserver"]);
        Assert.True(found == 0, foundText);
    }

    [Fact]
    public async Task A_start_up_error_prints_the_error_without_a_stack_trace()
    {
        var tooLong = Path.Combine(Directory.CreateTempSubdirectory().FullName, new string('d', 120), "admin.sock");
        var (run, runText) = await PorticoProcess.RunAsync(["run", "--config", EmptyConfig(), "--admin-socket", tooLong, "--admin-http", "none"]);
        Assert.True(run == 2, runText);
        Assert.Contains("longer than the 107 bytes a Unix socket path can have", runText);
        Assert.DoesNotContain("   at ", runText);
    }

    private static string EmptyConfig()
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory().FullName, "empty.conf");
        File.WriteAllText(path, "");
        return path;
    }

    private static void RequireRoot()
    {
        if (Environment.UserName != "root")
        {
            Assert.Fail("this test switches to user nobody and must run as root (CI does)");
        }
    }

    private static void Chown(string path, int uid)
    {
        using var p = Process.Start("chown", [$"{uid}:{uid}", path])!;
        p.WaitForExit();
        Assert.Equal(0, p.ExitCode);
    }

    /// <summary>Temporary directories are 0700: let nobody reach the squatted directory inside.</summary>
    private static void Chmod711(string path) => File.SetUnixFileMode(path, (UnixFileMode)0b111_001_001);

    /// <summary>
    /// A Unix socket server run as another user (setpriv to nobody): it listens where Portico would, and
    /// reports how many bytes each connection sent it before closing.
    /// </summary>
    private sealed class Impostor : IAsyncDisposable
    {
        private const string Script = """
            import socket, sys
            s = socket.socket(socket.AF_UNIX)
            s.bind(sys.argv[1])
            s.listen()
            print("listening", flush=True)
            if sys.argv[2] == "serve":
                while True:
                    c, _ = s.accept()
                    c.settimeout(5)
                    data = b""
                    try:
                        while True:
                            d = c.recv(65536)
                            if not d:
                                break
                            data += d
                    except OSError:
                        pass
                    print("received", len(data), flush=True)
                    c.close()
            """;

        private readonly Process _process;

        private Impostor(Process process) => _process = process;

        public static async Task<Impostor> StartAsync(string socket, bool asNobody = true)
        {
            var python = new[] { "/usr/bin/python3", "-c", Script, socket, asNobody ? "serve" : "bind-only" };
            var psi = new ProcessStartInfo(asNobody ? "setpriv" : python[0]) { RedirectStandardOutput = true };
            foreach (var a in asNobody ? ["--reuid=65534", "--regid=65534", "--clear-groups", .. python] : python[1..])
            {
                psi.ArgumentList.Add(a);
            }

            var impostor = new Impostor(Process.Start(psi)!);
            Assert.Equal("listening", await impostor._process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(20)));
            return impostor;
        }

        public async Task<string?> NextConnectionAsync() => await _process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(20));

        public async ValueTask DisposeAsync()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            await _process.WaitForExitAsync();
            _process.Dispose();
        }
    }
}

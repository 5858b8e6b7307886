using System.Diagnostics;
using System.Globalization;
using Portico.Testing;

namespace Portico.Scenarios.Lab;

/// <summary>
/// A DSR segment built for one test (platform.md's recipe): a client, Portico ("lb") and real servers, each
/// in its own network namespace, on one bridge, with private 10.99.0.0/24 addresses that exist only inside
/// these namespaces. Names carry a random prefix so parallel runs cannot clash; everything is deleted at
/// the end, failures included.
/// </summary>
public sealed class DsrLab : IAsyncDisposable
{
    public const string Vip = "10.99.0.100";
    private readonly List<string> _namespaces = [];
    private readonly List<LabProcess> _processes = [];

    private DsrLab(string prefix)
    {
        Prefix = prefix;
        Dir = Directory.CreateTempSubdirectory("portico-dsr-").FullName;
    }

    public string Prefix { get; }

    public string Dir { get; }

    public string AdminSocket => Path.Combine(Dir, "admin.sock");

    public PorticoProcess? Portico { get; private set; }

    /// <summary>The HTTP server process of each real server, by number.</summary>
    public Dictionary<int, LabProcess> Servers { get; } = [];

    public string Ns(string role) => $"{Prefix}-{role}";

    public static string Address(string role) => "10.99.0." + role switch
    {
        "client" => "10",
        "lb" => "2",
        _ when role.StartsWith("rs", StringComparison.Ordinal) => (10 + int.Parse(role[2..], CultureInfo.InvariantCulture)).ToString(CultureInfo.InvariantCulture),
        _ => throw new ArgumentException(role),
    };

    public static string Script(string name) => Path.Combine(AppContext.BaseDirectory, "scripts", name);

    /// <summary>Skips the calling test, with the reason in the test report, where namespaces cannot be made.</summary>
    public static void SkipUnlessAvailable() => Netns.SkipUnlessAvailable();

    public static async Task<DsrLab> CreateAsync(int realServers)
    {
        var lab = new DsrLab("pt" + Convert.ToHexString(BitConverter.GetBytes(Random.Shared.Next())).ToLowerInvariant()[..6]);
        try
        {
            await lab.Host("ip", "link", "add", lab.Ns("br"), "type", "bridge");
            await lab.Host("ip", "link", "set", lab.Ns("br"), "up");
            foreach (var role in new[] { "client", "lb" }.Concat(Enumerable.Range(1, realServers).Select(i => $"rs{i}")))
            {
                await lab.AddHostAsync(role);
            }
        }
        catch
        {
            await lab.DisposeAsync();
            throw;
        }

        return lab;
    }

    private async Task AddHostAsync(string role)
    {
        var ns = Ns(role);
        await Host("ip", "netns", "add", ns);
        _namespaces.Add(ns);
        await Host("ip", "link", "add", ns, "type", "veth", "peer", "name", "eth0", "netns", ns);
        await Host("ip", "link", "set", ns, "master", Ns("br"), "up");
        await Host("ip", "-n", ns, "link", "set", "lo", "up");
        await Host("ip", "-n", ns, "link", "set", "eth0", "up");
        await Host("ip", "-n", ns, "addr", "add", Address(role) + "/24", "dev", "eth0");
    }

    /// <summary>Runs a command in a role's namespace to completion.</summary>
    public Task<(int Code, string Output)> ExecAsync(string role, params string[] command) =>
        RunAsync("ip", ["netns", "exec", Ns(role), .. command]);

    /// <summary>Starts a background command in a role's namespace; it is killed when the lab goes away.</summary>
    public LabProcess StartIn(string role, params string[] command)
    {
        var p = new LabProcess("ip", ["netns", "exec", Ns(role), .. command]);
        _processes.Add(p);
        return p;
    }

    /// <summary>Configures real server <paramref name="n"/> with <c>portico realserver setup --apply</c> (unless told not to) and serves HTTP on the VIP.</summary>
    public async Task<string> StartRealServerAsync(int n, bool setup = true)
    {
        var role = $"rs{n}";
        var output = "";
        if (setup)
        {
            var (code, text) = await ExecAsync(role, "dotnet", PorticoProcess.Dll, "realserver", "setup", "--vip", Vip, "--apply");
            Assert.True(code == 0, text);
            output = text;
        }
        else
        {
            await ExecAsync(role, "ip", "addr", "add", Vip + "/32", "dev", "lo");
        }

        var server = StartIn(role, "python3", Script("dsr-rs-http.py"), role, Vip, "80");
        Servers[n] = server;
        Assert.True(await Eventually.TrueAsync(() => ExecAsync(role, "curl", "-s", "--max-time", "1", $"http://{Vip}/").Result.Output.Contains(role, StringComparison.Ordinal),
            TimeSpan.FromSeconds(20)), $"{role}'s HTTP server did not start: {server.Output}");
        return output;
    }

    /// <summary>Starts the real <c>portico</c> executable in the lb namespace on <paramref name="config"/>.</summary>
    public async Task StartPorticoAsync(string config)
    {
        var file = Path.Combine(Dir, "portico.conf");
        await File.WriteAllTextAsync(file, config);
        Portico = PorticoProcess.StartInNamespace(Ns("lb"), "run", "--config", file, "--admin-socket", AdminSocket);
        Assert.True(await Portico.WaitForOutputAsync("Portico is running", TimeSpan.FromSeconds(60)), Portico.Output);
    }

    public async Task<string> CliAsync(string command)
    {
        var (code, output) = await PorticoProcess.RunAsync(["cli", "--admin-socket", AdminSocket, "-c", command]);
        Assert.True(code == 0, output);
        return output;
    }

    /// <summary>Waits until <c>show dsr</c> contains <paramref name="text"/>.</summary>
    public async Task WaitForDsrAsync(string text, TimeSpan within)
    {
        var last = "";
        var ok = await Eventually.TrueAsync(() => (last = CliAsync("show dsr").Result).Contains(text, StringComparison.Ordinal), within);
        Assert.True(ok, $"show dsr never said '{text}':\n{last}\n{Portico?.Output}");
    }

    /// <summary>One HTTP request per local port from the client: which server answered each ("reset", "unreachable" otherwise).</summary>
    public Task<Dictionary<int, string>> RequestAsync(IEnumerable<int> localPorts) => RequestAsyncTo(Vip, localPorts);

    /// <summary>As <see cref="RequestAsync"/>, to another VIP.</summary>
    public async Task<Dictionary<int, string>> RequestAsyncTo(string vip, IEnumerable<int> localPorts)
    {
        var (code, output) = await ExecAsync("client", ["python3", Script("dsr-client.py"), vip, "80", "once", .. localPorts.Select(p => p.ToString(CultureInfo.InvariantCulture))]);
        Assert.True(code == 0, output);
        return Parse(output);
    }

    public static Dictionary<int, string> Parse(string output) => output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
        .Select(l => l.Split(' '))
        .Where(p => p.Length == 2 && int.TryParse(p[0], out _))
        .ToDictionary(p => int.Parse(p[0], CultureInfo.InvariantCulture), p => p[1]);

    private Task Host(string file, params string[] args) => RunAsync(file, args).ContinueWith(t =>
    {
        if (t.Result.Code != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)}: {t.Result.Output}");
        }
    }, TaskScheduler.Default);

    public static async Task<(int Code, string Output)> RunAsync(string file, IEnumerable<string> args)
    {
        var (code, stdout, stderr) = await Command.RunAsync(file, args, TimeSpan.FromSeconds(60));
        return (code, stdout + stderr);
    }

    public async ValueTask DisposeAsync()
    {
        // Each step on its own: a process that fails to die must not leave namespaces behind.
        try
        {
            if (Portico is not null)
            {
                await Portico.DisposeAsync();
            }
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
        }

        foreach (var p in _processes)
        {
            try
            {
                p.Dispose();
            }
            catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
            {
            }
        }

        foreach (var ns in _namespaces)
        {
            await RunAsync("ip", ["netns", "del", ns]);
        }

        await RunAsync("ip", ["link", "del", Ns("br")]);
        try
        {
            Directory.Delete(Dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

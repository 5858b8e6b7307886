using System.Globalization;
using Portico.Scenarios.Lab;
using Portico.Testing;

namespace Portico.Scenarios.HighAvailability;

/// <summary>
/// An HA segment for one test: a client, two Portico nodes (n1 10.98.0.1, n2 10.98.0.2) and a server (10.98.0.20),
/// each in its own network namespace on one bridge; the VIP 10.98.0.100 moves between the nodes. Names carry a
/// random prefix; everything is deleted at the end, failures included.
/// </summary>
public sealed class HaLab : IAsyncDisposable
{
    public const string Vip = "10.98.0.100";
    private readonly List<string> _namespaces = [];
    private readonly List<LabProcess> _processes = [];

    private HaLab(string prefix)
    {
        Prefix = prefix;
        Dir = Directory.CreateTempSubdirectory("portico-ha-").FullName;
    }

    public string Prefix { get; }

    public string Dir { get; }

    public Dictionary<string, PorticoProcess> Nodes { get; } = [];

    public string Ns(string role) => $"{Prefix}-{role}";

    /// <summary>The host's own address on the bridge (for a service the nodes reach outside their namespaces: etcd).</summary>
    public const string HostAddress = "10.98.0.254";

    /// <summary>Puts <see cref="HostAddress"/> on the bridge.</summary>
    public Task AddHostAddressAsync() => HostAsync("ip", "addr", "add", HostAddress + "/24", "dev", Ns("br"));

    /// <summary>The host side of a role's veth: setting it down cuts that host's link.</summary>
    public string Link(string role) => Ns(role);

    public static string Address(string role) => "10.98.0." + role switch
    {
        "client" => "10",
        "n1" => "1",
        "n2" => "2",
        "srv" => "20",
        _ => throw new ArgumentException(role),
    };

    public static string Peer(string node) => node == "n1" ? "n2" : "n1";

    public string AdminSocket(string node) => Path.Combine(Dir, node + ".sock");

    public static async Task<HaLab> CreateAsync()
    {
        var lab = new HaLab("ha" + Convert.ToHexString(BitConverter.GetBytes(Random.Shared.Next())).ToLowerInvariant()[..6]);
        try
        {
            await lab.HostAsync("ip", "link", "add", lab.Ns("br"), "type", "bridge");
            await lab.HostAsync("ip", "link", "set", lab.Ns("br"), "up");
            foreach (var role in new[] { "client", "n1", "n2", "srv" })
            {
                await lab.AddHostAsync(role);
            }

            await File.WriteAllTextAsync(Path.Combine(lab.Dir, "client.py"), ClientLoop.Script);
            var server = lab.StartIn("srv", "python3", "-c", ServerScript);
            Assert.True(await Eventually.TrueAsync(() => lab.ExecAsync("client", "curl", "-s", "--max-time", "1", $"http://{Address("srv")}/").Result.Output.Contains("served by srv", StringComparison.Ordinal),
                TimeSpan.FromSeconds(20)), "the server did not start: " + server.Output);
        }
        catch
        {
            await lab.DisposeAsync();
            throw;
        }

        return lab;
    }

    /// <summary>The config of a node: its own address and its peer; n1 also carries the farm (n2 gets it by sync).</summary>
    public static string ConfigOf(string node, string extra = "") =>
        $"add ns ip {Address(node)} 255.255.255.0 -type NSIP\nadd HA node 1 {Address(Peer(node))}\n{extra}\n"
        + (node == "n1" ? $"add server srv {Address("srv")}\nadd service web srv TCP 80\nadd lb vserver vip TCP {Vip} 80\nbind lb vserver vip web\n" : "");

    public async Task StartNodeAsync(string node, string extra = "", params string[] runArgs)
    {
        var file = Path.Combine(Dir, node + ".conf");
        await File.WriteAllTextAsync(file, ConfigOf(node, extra));
        var p = PorticoProcess.StartInNamespace(Ns(node), ["run", "--config", file, "--admin-socket", AdminSocket(node), .. runArgs]);
        Nodes[node] = p;
        Assert.True(await p.WaitForOutputAsync("Portico is running", TimeSpan.FromSeconds(60)), p.Output);
    }

    public async Task<string> CliAsync(string node, string command)
    {
        var (code, output) = await PorticoProcess.RunAsync(["cli", "--admin-socket", AdminSocket(node), "-c", command]);
        return code == 0 ? output : $"(exit {code}) {output}";
    }

    /// <summary>Waits until <c>show HA node 0</c> on <paramref name="node"/> says it has <paramref name="state"/>.</summary>
    public async Task WaitForStateAsync(string node, string state, TimeSpan within)
    {
        var last = "";
        var ok = await Eventually.TrueAsync(() => (last = CliAsync(node, "show HA node 0").Result).Contains($"Master State: {state}", StringComparison.Ordinal), within);
        Assert.True(ok, $"{node} never became {state}:\n{last}\n{Nodes.GetValueOrDefault(node)?.Output}");
    }

    /// <summary>Whether the VIP is on a node's interface now.</summary>
    public async Task<bool> HoldsVipAsync(string node) =>
        (await ExecAsync(node, "ip", "-4", "addr", "show", "dev", "eth0")).Output.Contains($"inet {Vip}/32", StringComparison.Ordinal);

    /// <summary>Starts the client loop: a request every <paramref name="everyMs"/> for <paramref name="seconds"/>, each bounded.</summary>
    public LabProcess StartClient(double seconds, int everyMs = 50) =>
        StartIn("client", "python3", Path.Combine(Dir, "client.py"), Vip, "80", seconds.ToString(CultureInfo.InvariantCulture), everyMs.ToString(CultureInfo.InvariantCulture));

    public Task<(int Code, string Output)> ExecAsync(string role, params string[] command) =>
        RunAsync("ip", ["netns", "exec", Ns(role), .. command]);

    public LabProcess StartIn(string role, params string[] command)
    {
        var p = new LabProcess("ip", ["netns", "exec", Ns(role), .. command]);
        _processes.Add(p);
        return p;
    }

    public async Task HostAsync(string file, params string[] args)
    {
        var (code, output) = await RunAsync(file, args);
        if (code != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)}: {output}");
        }
    }

    private async Task AddHostAsync(string role)
    {
        var ns = Ns(role);
        await HostAsync("ip", "netns", "add", ns);
        _namespaces.Add(ns);
        await HostAsync("ip", "link", "add", ns, "type", "veth", "peer", "name", "eth0", "netns", ns);
        await HostAsync("ip", "link", "set", ns, "master", Ns("br"), "up");
        await HostAsync("ip", "-n", ns, "link", "set", "lo", "up");
        await HostAsync("ip", "-n", ns, "link", "set", "eth0", "up");
        await HostAsync("ip", "-n", ns, "addr", "add", Address(role) + "/24", "dev", "eth0");
    }

    private static async Task<(int Code, string Output)> RunAsync(string file, IEnumerable<string> args)
    {
        var (code, stdout, stderr) = await Command.RunAsync(file, args, TimeSpan.FromSeconds(60));
        return (code, stdout + stderr);
    }

    /// <summary>A one-connection-per-request HTTP server that names itself.</summary>
    private const string ServerScript = """
        import http.server, socketserver
        class H(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                body = b"served by srv\n"
                self.send_response(200); self.send_header("Content-Length", str(len(body))); self.end_headers(); self.wfile.write(body)
            def log_message(self, *a): pass
        class S(socketserver.ThreadingMixIn, http.server.HTTPServer):
            daemon_threads = True
            allow_reuse_address = True
        S(("0.0.0.0", 80), H).serve_forever()
        """;

    public async ValueTask DisposeAsync()
    {
        foreach (var p in Nodes.Values)
        {
            try
            {
                await p.DisposeAsync();
            }
            catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
            {
            }
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

using System.Globalization;
using Portico.Admin.AdminSocket;
using Portico.Scenarios.Lab;
using Portico.Testing;

namespace Portico.Scenarios.ClientIp;

/// <summary>
/// Network namespaces built for one scenario, with a random prefix so parallel runs cannot clash, and a
/// real Portico process in one of them. Addresses are private ranges that exist only inside these
/// namespaces. Everything (processes, namespaces, bridge) is removed at the end, failures included.
/// </summary>
internal sealed class ClientIpLab : IAsyncDisposable
{
    private readonly List<string> _namespaces = [];
    private readonly List<LabProcess> _processes = [];
    private string? _bridge;

    private ClientIpLab()
    {
        Prefix = "pc" + Random.Shared.Next(0x100000, 0xFFFFFF).ToString("x6", CultureInfo.InvariantCulture);
        Dir = Directory.CreateTempSubdirectory("portico-clientip-").FullName;
    }

    public string Prefix { get; }

    public string Dir { get; }

    public string AdminSocket => Path.Combine(Dir, "admin.sock");

    public LabProcess? Portico { get; private set; }

    public string Ns(string role) => $"{Prefix}-{role}";

    public static ClientIpLab Create() => new();

    /// <summary>A namespace with its loopback up.</summary>
    public async Task AddNamespaceAsync(string role)
    {
        await Netns.RunAsync("ip", "netns", "add", Ns(role));
        _namespaces.Add(Ns(role));
        await Netns.RunAsync("ip", "-n", Ns(role), "link", "set", "lo", "up");
    }

    /// <summary>A namespace on the lab's bridge (created on first use) with these addresses on its eth0.</summary>
    public async Task AddHostAsync(string role, params string[] cidrs)
    {
        if (_bridge is null)
        {
            _bridge = Prefix + "br";
            await Netns.RunAsync("ip", "link", "add", _bridge, "type", "bridge");
            await Netns.RunAsync("ip", "link", "set", _bridge, "up");
        }

        await AddNamespaceAsync(role);
        var veth = $"{Prefix}{role}"[..Math.Min(15, Prefix.Length + role.Length)];
        await Netns.RunAsync("ip", "link", "add", veth, "type", "veth", "peer", "name", "eth0", "netns", Ns(role));
        await Netns.RunAsync("ip", "link", "set", veth, "master", _bridge, "up");
        await Netns.RunAsync("ip", "-n", Ns(role), "link", "set", "eth0", "up");
        foreach (var cidr in cidrs)
        {
            await Netns.RunAsync("ip", "-n", Ns(role), "addr", "add", cidr, "dev", "eth0");
        }
    }

    /// <summary>Runs a command inside a namespace.</summary>
    public Task<string> ExecAsync(string role, params string[] command) => Netns.RunAsync("ip", ["netns", "exec", Ns(role), .. command]);

    /// <summary>Starts the real portico executable in <paramref name="role"/>'s namespace on <paramref name="config"/>.</summary>
    public async Task StartPorticoAsync(string role, string config)
    {
        var path = Path.Combine(Dir, "portico.conf");
        await File.WriteAllTextAsync(path, config);
        Portico = new LabProcess("ip", ["netns", "exec", Ns(role), "dotnet", PorticoProcess.Dll, "run", "--config", path, "--admin-socket", AdminSocket]);
        _processes.Add(Portico);
        if (!await Eventually.TrueAsync(() => File.Exists(AdminSocket) || Portico.HasExited, TimeSpan.FromSeconds(30)) || Portico.HasExited)
        {
            throw new InvalidOperationException("portico did not start:\n" + Portico.Output);
        }
    }

    /// <summary>Sends commands to the Portico of the lab (its admin socket is a file: it works across namespaces).</summary>
    public async Task<string> CliAsync(string commands)
    {
        using var client = AdminClient.Connect(AdminSocket);
        var response = await client.ApplyAsync(commands);
        return response.Ok ? response.Output : throw new InvalidOperationException($"'{commands}' failed: {response.Output}");
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var p in _processes)
        {
            p.Dispose();
        }

        foreach (var ns in _namespaces)
        {
            try
            {
                await Netns.RunAsync("ip", "netns", "del", ns);
            }
            catch (InvalidOperationException)
            {
            }
        }

        if (_bridge is not null)
        {
            try
            {
                await Netns.RunAsync("ip", "link", "del", _bridge);
            }
            catch (InvalidOperationException)
            {
            }
        }

        try
        {
            Directory.Delete(Dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

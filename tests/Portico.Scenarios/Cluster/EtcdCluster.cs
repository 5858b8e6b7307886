using System.Diagnostics;
using System.Globalization;
using Portico.Testing;

namespace Portico.Scenarios.Cluster;

/// <summary>
/// Real etcd members (Debian's etcd-server) on 127.0.0.1, random ports, a temporary data dir each; killed and
/// deleted at the end. Tests are skipped, saying so, where etcd is not installed.
/// </summary>
public sealed class EtcdCluster : IAsyncDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("portico-etcd-").FullName;
    private readonly Process?[] _members;
    private readonly int[] _client;
    private readonly int[] _peer;

    private readonly string _host;

    private EtcdCluster(int size, string host)
    {
        _host = host;
        _members = new Process?[size];
        _client = [.. Enumerable.Range(0, size).Select(_ => Ports.Free())];
        _peer = [.. Enumerable.Range(0, size).Select(_ => Ports.Free())];
    }

    public static string? Unavailable => File.Exists("/usr/bin/etcd") ? null : "etcd is not installed (apt etcd-server, in .ci/run); skipped";

    /// <summary>The <c>--cluster</c> URL for a prefix: every member, in order.</summary>
    public string Url(string prefix) => $"etcd://{string.Join(',', _client.Select(p => $"{_host}:{p}"))}/{prefix}";

    public string ClientUrl(int member) => $"http://{_host}:{_client[member]}";

    /// <summary>Starts <paramref name="size"/> members on <paramref name="host"/> (an address of this namespace: loopback, or a lab bridge's).</summary>
    public static async Task<EtcdCluster> StartAsync(int size = 1, string host = "127.0.0.1")
    {
        var cluster = new EtcdCluster(size, host);
        for (var i = 0; i < size; i++)
        {
            cluster.Start(i);
        }

        var ready = await Eventually.TrueAsync(() => cluster.Ctl(0, "endpoint", "health").Result.Contains("is healthy", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        Assert.True(ready, "etcd did not become healthy: " + await cluster.Ctl(0, "endpoint", "health"));
        return cluster;
    }

    /// <summary>Starts member <paramref name="i"/> (again, on the same data dir after a <see cref="Kill"/>).</summary>
    public void Start(int i)
    {
        var initial = string.Join(',', _peer.Select((p, n) => $"m{n}=http://{_host}:{p}"));
        var psi = new ProcessStartInfo("etcd") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[]
        {
            "--name", $"m{i}", "--data-dir", Path.Combine(_dir, $"m{i}"),
            "--listen-client-urls", ClientUrl(i), "--advertise-client-urls", ClientUrl(i),
            "--listen-peer-urls", $"http://{_host}:{_peer[i]}", "--initial-advertise-peer-urls", $"http://{_host}:{_peer[i]}",
            "--initial-cluster", initial, "--initial-cluster-state", "new", "--initial-cluster-token", Path.GetFileName(_dir),
            "--heartbeat-interval", "50", "--election-timeout", "500",
        })
        {
            psi.ArgumentList.Add(a);
        }

        var p = Process.Start(psi)!;
        p.OutputDataReceived += (_, _) => { };
        p.ErrorDataReceived += (_, _) => { };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        _members[i] = p;
    }

    /// <summary>Kills member <paramref name="i"/> (SIGKILL).</summary>
    public void Kill(int i)
    {
        if (_members[i] is { HasExited: false } p)
        {
            p.Kill();
            p.WaitForExit(5000);
        }

        _members[i]?.Dispose();
        _members[i] = null;
    }

    /// <summary>Runs etcdctl (API 3) against member <paramref name="i"/>; returns its output, errors included.</summary>
    public async Task<string> Ctl(int i, params string[] args)
    {
        var psi = new ProcessStartInfo("etcdctl") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.Environment["ETCDCTL_API"] = "3";
        psi.ArgumentList.Add("--endpoints=" + ClientUrl(i));
        psi.ArgumentList.Add("--command-timeout=3s");
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(20));
        return await stdout + await stderr;
    }

    /// <summary>The store's current revision, read through member <paramref name="i"/>.</summary>
    public async Task<long> RevisionAsync(int i = 0)
    {
        var json = await Ctl(i, "endpoint", "status", "-w", "json");
        var at = json.IndexOf("\"revision\":", StringComparison.Ordinal) + "\"revision\":".Length;
        return long.Parse(new string([.. json[at..].TakeWhile(char.IsDigit)]), CultureInfo.InvariantCulture);
    }

    public ValueTask DisposeAsync()
    {
        for (var i = 0; i < _members.Length; i++)
        {
            Kill(i);
        }

        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }

        return ValueTask.CompletedTask;
    }
}

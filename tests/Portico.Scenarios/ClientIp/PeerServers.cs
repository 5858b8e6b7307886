using System.Net;
using System.Net.Sockets;
using Portico.Scenarios.Lab;
using Portico.Testing;

namespace Portico.Scenarios.ClientIp;

/// <summary>
/// Debian's nginx and HAProxy as real PROXY protocol peers, started on 127.0.0.1 ports with a config in a
/// temporary folder, stopped by their process id. Tests skip, saying why, where a binary is missing
/// (.ci/run installs both).
/// </summary>
internal sealed class PeerServers : IDisposable
{
    private readonly List<LabProcess> _processes = [];

    public string Dir { get; } = Directory.CreateTempSubdirectory("portico-peers-").FullName;

    public static void SkipUnlessInstalled(string binary) =>
        Skip.IfNot(File.Exists($"/usr/sbin/{binary}"), $"{binary} is not installed (apt-get install {binary}; .ci/run does); skipped");

    /// <summary>
    /// nginx answering, on <paramref name="port"/> (which expects a PROXY header), every request with the
    /// client the header named, and logging it as <c>$proxy_protocol_addr:$proxy_protocol_port</c>.
    /// </summary>
    public async Task<string> StartNginxAsync(int port)
    {
        var log = Path.Combine(Dir, "access.log");
        var conf = Path.Combine(Dir, "nginx.conf");
        await File.WriteAllTextAsync(conf, $$"""
            daemon off;
            master_process off;
            pid {{Dir}}/nginx.pid;
            error_log {{Dir}}/error.log;
            events { worker_connections 512; }
            http {
                client_body_temp_path {{Dir}}/body;
                proxy_temp_path {{Dir}}/proxy;
                log_format pp '$proxy_protocol_addr:$proxy_protocol_port via $remote_addr';
                server {
                    listen 127.0.0.1:{{port}} proxy_protocol;
                    access_log {{log}} pp;
                    location / { return 200 "$proxy_protocol_addr $proxy_protocol_port\n"; }
                }
            }
            """);
        await StartAsync("/usr/sbin/nginx", ["-c", conf, "-p", Dir], port);
        return log;
    }

    /// <summary>HAProxy with the given config (its listeners on <paramref name="ports"/>); its log goes to its output.</summary>
    public async Task<LabProcess> StartHaproxyAsync(string config, params int[] ports)
    {
        var conf = Path.Combine(Dir, "haproxy.cfg");
        await File.WriteAllTextAsync(conf, "global\n  log stdout format raw local0\n" + config + "\n");
        return await StartAsync("/usr/sbin/haproxy", ["-db", "-f", conf], ports);
    }

    private async Task<LabProcess> StartAsync(string file, string[] args, params int[] ports)
    {
        var p = new LabProcess(file, args);
        _processes.Add(p);
        foreach (var port in ports)
        {
            if (!await Eventually.TrueAsync(() => p.HasExited || Ports.Listening(port), TimeSpan.FromSeconds(10)) || p.HasExited)
            {
                throw new InvalidOperationException($"{file} did not listen on {port}:\n{p.Output}");
            }
        }

        return p;
    }


    public void Dispose()
    {
        foreach (var p in _processes)
        {
            p.Dispose();
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

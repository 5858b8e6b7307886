using System.CommandLine;
using System.Runtime.InteropServices;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Portico.Admin;
using Portico.Admin.AdminSocket;
using Portico.Admin.Metrics;
using Portico.Capture;
using Portico.Counters.History;
using Portico.Demo;
using Portico.Engine;
using Portico.Forwarding.Tcp;
using Portico.Relaying;

namespace Portico.Verbs;

/// <summary><c>portico run [--config FILE]</c>: the load balancer itself.</summary>
internal static class RunVerb
{
    public static Command Create()
    {
        var config = new Option<FileInfo?>("--config", "-f")
        {
            Description = $"Config file in the command language (an empty file is fine). Without it an installed Portico reads {Install.InstallLayout.ConfigFile}, "
                + "one run from a build (dotnet run) its embedded demo config",
        };
        var demo = new Option<bool>("--demo")
        {
            Description = "Run the embedded demo config (two demo backends on loopback, a TCP and an HTTP vserver); the default outside an installed system",
        };
        var admin = new Option<string>("--admin-socket")
        {
            Description = "Unix socket for 'portico cli'",
            DefaultValueFactory = _ => AdminSocketPath.Default,
        };
        var drain = new Option<double>("--drain-timeout")
        {
            Description = "Seconds established connections get to finish when Portico stops",
            DefaultValueFactory = _ => 10,
        };
        var logLevel = new Option<LogLevel>("--log-level")
        {
            Description = "Trace, Debug, Information, Warning, Error",
            DefaultValueFactory = _ => LogLevel.Information,
        };
        var relayBuffer = new Option<int>("--relay-buffer-kib")
        {
            Description = "KiB read at once per direction of a relayed connection (tuning; see docs/design/l4-pump.md)",
            DefaultValueFactory = _ => new RelayOptions().BufferSize / 1024,
        };
        var relayMode = new Option<RelayMode>("--relay-mode")
        {
            Description = "How L4 bytes are moved: Managed (pooled buffers), Splice (kernel pipes) or Auto (copy, then splice for bulk flows); see docs/design/l4-pump.md",
            DefaultValueFactory = _ => new RelayOptions().Mode,
        };
        var traceDir = new Option<string?>("--trace-dir")
        {
            Description = "Directory for packet captures (start nstrace, portico trace); default $PORTICO_TRACE_DIR, else /var/portico/trace as root",
        };
        var tlsKeyLog = new Option<string?>("--tls-keylog")
        {
            Description = "Write the TLS secrets of every handshake to FILE (SSLKEYLOGFILE format) so captures can be decrypted; "
                + "start nstrace -capsslkeys ENABLED embeds them in the pcapng file. The file decrypts everything: keep it private",
        };
        var traceRate = new Option<int?>("--trace-rate-limit")
        {
            Description = "MB per second one packet capture writes at most (default 64); beyond it packets are dropped and counted, so the data path keeps the CPU",
        };
        var dsrIo = new Option<Portico.Dsr.PacketIo>("--dsr-io")
        {
            Description = "How DSR ports receive frames: Ring (TPACKET_V3, shared with the kernel) or Mmsg (recvmmsg); see docs/design/dsr.md",
            DefaultValueFactory = _ => new Portico.Dsr.DsrOptions().Io,
        };
        var logDir = new Option<string>("--log-dir")
        {
            Description = "Directory of the counters history log (portico.newnslog, read by 'portico counters'; 'set ns counters -directory' overrides)",
            DefaultValueFactory = _ => HistoryOptions.DefaultDirectory,
        };
        var adminHttp = new Option<string>("--admin-http")
        {
            Description = $"Address:port of the admin HTTP listener serving /metrics (Prometheus) and NITRO; 'none' turns it off. Loopback only (plain HTTP): other hosts use --admin-https",
            DefaultValueFactory = _ => AdminHttpOptions.DefaultEndpoint,
        };
        var adminHttps = new Option<string?>("--admin-https")
        {
            Description = "Address:port of the admin listener over TLS (NITRO, /metrics), e.g. 0.0.0.0:9443: the way other hosts reach it; needs --admin-cert",
        };
        var adminCert = new Option<string?>("--admin-cert")
        {
            Description = "PEM certificate (chain) of the admin HTTPS listener, its own and no vserver's",
        };
        var adminKey = new Option<string?>("--admin-key")
        {
            Description = "PEM private key of --admin-cert (default: read from the --admin-cert file); keep it readable by Portico only",
        };
        var completions = new Option<SocketCompletions>("--socket-completions")
        {
            Description = "Where socket reads and writes continue: Inline (on the thread that saw the socket ready; the fastest for HTTP) "
                + "or ThreadPool (.NET's default); see docs/design/l7-engine.md",
            DefaultValueFactory = _ => SocketCompletions.Inline,
        };
        var command = new Command("run", "Run Portico: load the config, listen on every vserver, serve the admin socket")
        {
            config, demo, admin, drain, logLevel, relayBuffer, relayMode, dsrIo, logDir, adminHttp, adminHttps, adminCert, adminKey, traceDir, tlsKeyLog, traceRate, completions,
        };
        var cluster = new Option<string?>("--cluster")
        {
            Description = "etcd://HOST:PORT[,HOST:PORT...]/PREFIX: share the config and TTL blocks with every node of the cluster through etcd (docs/design/cluster.md)",
        };
        var clusterNode = new Option<string?>("--cluster-node") { Description = "This node's name in the cluster (default: host name and process id)" };
        command.Options.Add(cluster);
        command.Options.Add(clusterNode);
        var accessLog = new Option<string?>("--access-log")
        {
            Description = "Write one line per HTTP/1.1 request to FILE: time, client, vserver, lb vserver, member, status, bytes sent, ms, request line; "
                + "kill -HUP reopens it (logrotate)",
        };
        command.Options.Add(accessLog);
        var haWitness = new Option<string?>("--ha-witness")
        {
            Description = "etcd://HOST:PORT[,HOST:PORT...]/PREFIX: the HA pair's witness; the primary role is an etcd lease, so a pair that cannot hear each other has one primary",
        };
        command.Options.Add(haWitness);
        command.SetAction((result, ct) =>
        {
            SocketCompletionMode.Apply(result.GetValue(completions));
            var relay = new RelayOptions
            {
                BufferSize = Math.Clamp(result.GetValue(relayBuffer), 1, 4096) * 1024,
                Mode = result.GetValue(relayMode),
            };
            AdminHttpOptions http;
            try
            {
                http = AdminHttpOptions.Parse(result.GetValue(adminHttp)!, allowRemote: false)
                    with { Optional = result.GetResult(adminHttp) is null or { Implicit: true } };
            }
            catch (FormatException e)
            {
                Console.Error.WriteLine($"portico: --admin-http: {e.Message}");
                return Task.FromResult(2);
            }

            if (result.GetValue(adminHttps) is { } httpsText)
            {
                try
                {
                    http = http with { Https = AdminHttpsOptions.Load(httpsText, result.GetValue(adminCert), result.GetValue(adminKey)) };
                }
                catch (FormatException e)
                {
                    Console.Error.WriteLine($"portico: {e.Message}");
                    return Task.FromResult(2);
                }

                if (InUse(http.Https.EndPoint) is { } busy)
                {
                    Console.Error.WriteLine($"portico: --admin-https {http.Https.EndPoint}: {busy} (choose another address)");
                    return Task.FromResult(2);
                }
            }
            else if (result.GetValue(adminCert) is not null || result.GetValue(adminKey) is not null)
            {
                Console.Error.WriteLine("portico: --admin-cert and --admin-key are for --admin-https ADDRESS:PORT, which is missing");
                return Task.FromResult(2);
            }

            if (!http.Optional && http.EndPoint is { } chosen && InUse(chosen) is { } why)
            {
                Console.Error.WriteLine($"portico: --admin-http {chosen}: {why} (choose another address, or --admin-http none)");
                return Task.FromResult(2);
            }

            if (result.GetValue(accessLog) is { } accessPath && Portico.Http.Logging.AccessLog.Problem(accessPath) is { } unwritable)
            {
                Console.Error.WriteLine($"portico: --access-log {accessPath}: {unwritable}");
                return Task.FromResult(2);
            }

            var extras = new RunExtras(new HistoryOptions(result.GetValue(logDir)), http, new Portico.Dsr.DsrOptions { Io = result.GetValue(dsrIo) })
            {
                AccessLog = new Portico.Http.Logging.AccessLogOptions(result.GetValue(accessLog)),
            };
            try
            {
                extras = extras with { Cluster = result.GetValue(cluster) is { } url ? Portico.Cluster.ClusterOptions.Parse(url, result.GetValue(clusterNode)) : null };
                extras = extras with { Witness = result.GetValue(haWitness) is { } w ? new Portico.HighAvailability.HaWitnessOptions(Portico.Cluster.ClusterOptions.Parse(w)) : null };
            }
            catch (FormatException e)
            {
                Console.Error.WriteLine($"portico: {e.Message}");
                return Task.FromResult(2);
            }

            var trace = CaptureOptions.Settings(result.GetValue(traceDir), result.GetValue(tlsKeyLog), result.GetValue(traceRate));
            if (result.GetValue(demo) && result.GetValue(config) is not null)
            {
                Console.Error.WriteLine("portico: --demo runs the embedded demo config; it cannot be combined with --config");
                return Task.FromResult(2);
            }

            // Installed (the binary under /usr): the system's config file unless the demo is asked for.
            var file = result.GetValue(config)
                ?? (!result.GetValue(demo) && Install.InstallLayout.Installed ? new FileInfo(Install.InstallLayout.ConfigFile) : null);
            return RunAsync(file, result.GetValue(admin)!,
                TimeSpan.FromSeconds(result.GetValue(drain)), result.GetValue(logLevel), relay, extras, trace, ct);
        });
        return command;
    }

    /// <summary>Why <paramref name="endpoint"/> cannot be listened on, found before anything starts; null when it can.</summary>
    private static string? InUse(System.Net.IPEndPoint endpoint)
    {
        using var probe = new System.Net.Sockets.Socket(endpoint.AddressFamily, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
        try
        {
            // As Kestrel binds: a TIME_WAIT left by an earlier run does not count as in use, a listener does.
            probe.SetSocketOption(System.Net.Sockets.SocketOptionLevel.Socket, System.Net.Sockets.SocketOptionName.ReuseAddress, true);
            probe.Bind(endpoint);
            return null;
        }
        catch (System.Net.Sockets.SocketException e)
        {
            return e.SocketErrorCode == System.Net.Sockets.SocketError.AddressAlreadyInUse ? "the address is already in use" : e.Message;
        }
    }

    private static async Task<int> RunAsync(FileInfo? configFile, string adminSocket, TimeSpan drain, LogLevel logLevel, RelayOptions relay,
        RunExtras extras, TraceSettings trace, CancellationToken cancellationToken)
    {
        PorticoStartup startup;
        if (configFile is null)
        {
            startup = new PorticoStartup(EmbeddedConfig.Text, "embedded default config", null, drain);
        }
        else if (!configFile.Exists)
        {
            await Console.Error.WriteLineAsync($"portico: config file {configFile.FullName} not found (create it, even empty, to start from nothing; --demo runs the embedded demo)").ConfigureAwait(false);
            return 2;
        }
        else
        {
            startup = new PorticoStartup(await File.ReadAllTextAsync(configFile.FullName, cancellationToken).ConfigureAwait(false),
                configFile.Name, configFile.FullName, drain);
        }

        try
        {
            // Before anything listens: a socket path that cannot be trusted stops the start with nothing begun.
            AdminEndpoint.PrepareSocketPath(adminSocket);
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or UnauthorizedAccessException)
        {
            await Console.Error.WriteLineAsync($"portico: {e.Message}").ConfigureAwait(false);
            return 2;
        }

        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss ";
        });
        builder.Logging.SetMinimumLevel(logLevel);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = drain + TimeSpan.FromSeconds(5));
        if (configFile is null)
        {
            builder.Services.AddHostedService<DemoBackends>();
        }

        builder.Services.AddSingleton(relay);
        builder.Services.AddSingleton(extras.History);
        builder.Services.AddSingleton(extras.Dsr);
        builder.Services.AddSingleton(extras.AccessLog);
        builder.Services.AddSingleton(trace);
        builder.Services.AddPorticoCore();
        builder.Services.AddSingleton(startup);
        builder.Services.AddSingleton<EngineHostedService>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<EngineHostedService>());

        // After the engine: the node joins once the startup config is in force, and the cluster's replaces it.
        if (extras.Cluster is { } clusterOptions)
        {
            Portico.Cluster.ClusterServiceCollectionExtensions.AddPorticoCluster(builder.Services, clusterOptions);
        }

        if (extras.Witness is { } witness)
        {
            Portico.HighAvailability.HaServiceCollectionExtensions.AddPorticoHaWitness(builder.Services, witness);
        }

        builder.Services.AddPorticoAdmin(adminSocket);
        builder.Services.AddPorticoAdminHttp(extras.Http);

        using var host = builder.Build();
        try
        {
            await host.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Any start-up failure is the operator's to fix (a config error, an address in use): its message, no stack trace.
            await Console.Error.WriteLineAsync($"portico: {e.Message}").ConfigureAwait(false);
            return 2;
        }

        Banner.Print(host.Services, startup, adminSocket);
        using var hangup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, context =>
        {
            // A signal has no one to ask: kill -HUP is the explicit "re-read the file", unsaved changes or not.
            context.Cancel = true;
            host.Services.GetRequiredService<Portico.Http.Logging.AccessLog>().Reopen();
            _ = ReloadOnSignalAsync(host.Services);
        });
        await host.WaitForShutdownAsync(CancellationToken.None).ConfigureAwait(false);
        return 0;
    }

    /// <summary>The counters history directory, the admin HTTP listener and DSR packet I/O, chosen on the command line.</summary>
    private sealed record RunExtras(HistoryOptions History, AdminHttpOptions Http, Portico.Dsr.DsrOptions Dsr)
    {
        /// <summary><c>--cluster</c>: the etcd cluster this node shares its config with, or null.</summary>
        public Portico.Cluster.ClusterOptions? Cluster { get; init; }

        /// <summary><c>--ha-witness</c>: the HA pair's etcd witness, or null.</summary>
        public Portico.HighAvailability.HaWitnessOptions? Witness { get; init; }

        /// <summary><c>--access-log</c>: the per-request log's file, or none.</summary>
        public Portico.Http.Logging.AccessLogOptions AccessLog { get; init; } = Portico.Http.Logging.AccessLogOptions.None;
    }

    private static async Task ReloadOnSignalAsync(IServiceProvider services)
    {
        var response = await services.GetRequiredService<ConfigReloader>().ReloadAsync(force: true, CancellationToken.None).ConfigureAwait(false);
        await Console.Out.WriteAsync($"SIGHUP: {response.Output}").ConfigureAwait(false);
    }
}

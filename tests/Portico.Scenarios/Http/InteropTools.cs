using System.Diagnostics;
using System.Text;
using Portico.Scenarios.Lab;
using Portico.Testing;

namespace Portico.Scenarios.Http;

/// <summary>
/// Real HTTP clients and servers the interop scenarios run against Portico (curl, h2load, Debian's nginx and Apache), found at
/// their Debian paths. A missing one fails the test saying what to install (.ci/run installs them): these scenarios
/// skip nothing.
/// </summary>
internal static class InteropTools
{
    public const string Curl = "/usr/bin/curl";
    public const string H2load = "/usr/bin/h2load";
    public const string Nginx = "/usr/sbin/nginx";
    public const string Apache = "/usr/sbin/apache2";

    public static void Require(string path, string package) =>
        Assert.True(File.Exists(path), $"{path} is missing: apt-get install {package} (.ci/run installs it)");

    /// <summary>Runs a tool to its end, bounded by a multiple of the shared timeout; its exit code and output.</summary>
    public static async Task<(int Code, string Output, string Error)> RunAsync(string file, IEnumerable<string> args, int timeouts = 3)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var process = Process.Start(psi)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(Eventually.Timeout * timeouts);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', psi.ArgumentList)} did not finish within {Eventually.Timeout * timeouts}");
        }

        return (process.ExitCode, await output, await error);
    }

    /// <summary>A file of <paramref name="length"/> pseudo-random bytes in <paramref name="directory"/>.</summary>
    public static string RandomFile(string directory, string name, int length)
    {
        var bytes = new byte[length];
        new Random(length).NextBytes(bytes);
        var path = Path.Combine(directory, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    public static string Sha256(byte[] bytes) => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(bytes));

    public static string Describe(int code, string output, string error) =>
        new StringBuilder().Append("exit ").Append(code).Append("\nstdout:\n").Append(output).Append("\nstderr:\n").Append(error).ToString();

    /// <summary>
    /// Starts Debian's nginx in the foreground with every file it writes in <paramref name="dir"/> and
    /// <paramref name="http"/> inside its <c>http { }</c> block, and waits until it listens on 127.0.0.1:<paramref name="port"/>.
    /// </summary>
    public static async Task<LabProcess> StartNginxAsync(string dir, int port, string http)
    {
        var conf = Path.Combine(dir, "nginx.conf");
        await File.WriteAllTextAsync(conf, $$"""
            daemon off;
            master_process off;
            pid {{dir}}/nginx.pid;
            error_log {{dir}}/error.log;
            events { worker_connections 256; }
            http {
                client_body_temp_path {{dir}}/body;
                proxy_temp_path {{dir}}/proxy;
                fastcgi_temp_path {{dir}}/fastcgi;
                uwsgi_temp_path {{dir}}/uwsgi;
                scgi_temp_path {{dir}}/scgi;
                access_log off;
            {{http}}
            }
            """);
        var nginx = new LabProcess(Nginx, ["-c", conf, "-p", dir]);
        if (!await Eventually.TrueAsync(() => nginx.HasExited || Ports.Listening(port), Eventually.Timeout) || nginx.HasExited)
        {
            var output = nginx.Output;
            nginx.Dispose();
            throw new InvalidOperationException($"nginx did not listen on {port}:\n{output}");
        }

        return nginx;
    }
}

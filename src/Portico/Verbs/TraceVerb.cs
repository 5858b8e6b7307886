using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Portico.Admin.AdminSocket;
using Portico.CommandLanguage;

namespace Portico.Verbs;

/// <summary>
/// <c>portico trace</c>: the nstcpdump of Portico. It starts a capture in the running Portico (so the capture
/// knows its vservers, survives config reloads, shows in <c>show nstrace</c> and can tap decrypted traffic),
/// follows it, and stops it on Ctrl-C, after <c>--seconds</c>, or when the capture reaches its own limits.
/// <c>--detach</c> leaves it running. <c>--standalone</c> captures in this process instead, without a running
/// Portico (wire captures only; vserver names from <c>--config</c>).
/// </summary>
internal static partial class TraceVerb
{
    public static Command Create()
    {
        var vservers = new Option<string[]>("--vserver", "-v") { Description = "Capture this vserver's traffic (repeat for several)", AllowMultipleArgumentsPerToken = false };
        var services = new Option<string[]>("--service", "-s") { Description = "Capture this service's (or service group's) traffic", AllowMultipleArgumentsPerToken = false };
        var filter = new Option<string?>("--filter", "-f") { Description = "A BPF expression (with 'vserver NAME', 'service NAME' allowed); ANDed with --vserver/--service" };
        var link = new Option<bool>("--link") { Description = "Both sides of each proxied connection: a vserver's server side, a service's client side" };
        var interfaces = new Option<string[]>("--interface", "-i") { Description = "Interface to capture on (repeat; 'any' = all). Default: those carrying the traffic", AllowMultipleArgumentsPerToken = false };
        var size = new Option<int?>("--size") { Description = "Bytes kept of each packet, 0 = whole packets (default 164, as nstrace)" };
        var nf = new Option<int?>("--nf") { Description = "Files kept in the cycle (default 24)" };
        var time = new Option<int?>("--time") { Description = "Seconds per file (default 3600)" };
        var fileSize = new Option<int?>("--file-size") { Description = "MB per file, instead of --time" };
        var maxSize = new Option<int?>("--max-size") { Description = "Size cap in MB: the capture stops there (default 1024)" };
        var format = new Option<string?>("--format") { Description = "pcap or pcapng" };
        var sslPlain = new Option<bool>("--sslplain") { Description = "The decrypted tap: plaintext of proxied connections (SSL vservers after TLS), as synthesized TCP in pcapng" };
        var keys = new Option<bool>("--ssl-keys") { Description = "Put the TLS secrets of handshakes seen during the capture in the pcapng file (needs portico run --tls-keylog)" };
        var name = new Option<string?>("--name", "-n") { Description = "The capture's name, first part of its file names" };
        var seconds = new Option<double?>("--seconds") { Description = "Stop after this many seconds (default: at Ctrl-C or the capture's own limits)" };
        var detach = new Option<bool>("--detach") { Description = "Start the capture in the running Portico and return; stop it with: portico cli -c \"stop nstrace -fileName NAME\"" };
        var standalone = new Option<bool>("--standalone") { Description = "Capture in this process, without a running Portico (wire captures only)" };
        var config = new Option<FileInfo?>("--config") { Description = "With --standalone: the config whose vserver and service names the filter may use" };
        var dir = new Option<string?>("--dir") { Description = "With --standalone: the directory for trace files (default: the trace directory)" };
        var admin = new Option<string>("--admin-socket") { Description = "Unix socket of the running Portico", DefaultValueFactory = _ => AdminSocketPath.Default };
        var command = new Command("trace", "Capture packets to pcap/pcapng files for Wireshark and tcpdump: a vserver's traffic, interfaces, or the decrypted tap")
        {
            vservers, services, filter, link, interfaces, size, nf, time, fileSize, maxSize, format, sslPlain, keys, name, seconds, detach, standalone, config, dir, admin,
        };
        command.SetAction((r, ct) =>
        {
            var line = StartLine(r.GetValue(vservers) ?? [], r.GetValue(services) ?? [], r.GetValue(filter), r.GetValue(link), r.GetValue(interfaces) ?? [],
                r.GetValue(size), r.GetValue(nf), r.GetValue(time), r.GetValue(fileSize), r.GetValue(maxSize), r.GetValue(format),
                r.GetValue(sslPlain), r.GetValue(keys), r.GetValue(name));
            var limit = r.GetValue(seconds) is { } s ? TimeSpan.FromSeconds(s) : (TimeSpan?)null;
            return r.GetValue(standalone)
                ? TraceStandalone.RunAsync(line, r.GetValue(config), r.GetValue(dir), limit, ct)
                : RunAsync(line, r.GetValue(admin)!, limit, r.GetValue(detach), ct);
        });
        return command;
    }

    /// <summary>The <c>start nstrace</c> line the options stand for.</summary>
    internal static string StartLine(string[] vservers, string[] services, string? filter, bool link, string[] interfaces, int? size, int? nf, int? time,
        int? fileSize, int? maxSize, string? format, bool sslPlain, bool keys, string? name)
    {
        var names = vservers.Select(v => $"vserver {v}").Concat(services.Select(s => $"service {s}")).ToList();
        var expression = (names.Count, filter) switch
        {
            (0, null) => null,
            (0, _) => filter,
            (_, null) => string.Join(" or ", names),
            _ => $"({string.Join(" or ", names)}) and ({filter})",
        };
        var sb = new StringBuilder("start nstrace");
        Add(sb, "fileName", name);
        Add(sb, "size", size);
        Add(sb, "nf", nf);
        Add(sb, "time", time);
        Add(sb, "fileSize", fileSize);
        Add(sb, "maxSize", maxSize);
        Add(sb, "filter", expression);
        if (link)
        {
            sb.Append(" -link ENABLED");
        }

        if (interfaces.Length > 0)
        {
            sb.Append(" -interface ").Append(string.Join(' ', interfaces.Select(ConfigText.Quote)));
        }

        Add(sb, "traceformat", format?.ToUpperInvariant());
        if (sslPlain)
        {
            sb.Append(" -mode SSLPLAIN");
        }

        if (keys)
        {
            sb.Append(" -capsslkeys ENABLED");
        }

        return sb.ToString();
    }

    private static void Add(StringBuilder sb, string option, object? value)
    {
        if (value is not null)
        {
            sb.Append(" -").Append(option).Append(' ').Append(ConfigText.Quote(Convert.ToString(value, CultureInfo.InvariantCulture)!));
        }
    }

    private static async Task<int> RunAsync(string line, string socket, TimeSpan? limit, bool detach, CancellationToken cancellationToken)
    {
        AdminClient client;
        try
        {
            client = AdminClient.Connect(socket);
        }
        catch (AdminUnavailableException e)
        {
            await Console.Error.WriteLineAsync($"portico trace: {e.Message}; or capture without it: portico trace --standalone --filter EXPR [--config FILE]")
                .ConfigureAwait(false);
            return 3;
        }

        using (client)
        {
            var started = await client.ApplyAsync(line, CancellationToken.None).ConfigureAwait(false);
            if (!started.Ok || started.Output.Contains("ERROR:", StringComparison.Ordinal) || StartedName().Match(started.Output) is not { Success: true } m)
            {
                await Console.Error.WriteAsync($"portico trace: the capture did not start:\n{started.Output}").ConfigureAwait(false);
                return 1;
            }

            await Console.Out.WriteAsync(started.Output).ConfigureAwait(false);
            var traceName = m.Groups[1].Value;
            if (detach)
            {
                return 0;
            }

            Console.WriteLine(limit is null ? "Capturing; Ctrl-C stops." : $"Capturing for {limit.Value.TotalSeconds:0.###} s; Ctrl-C stops sooner.");
            var stoppedByItself = await FollowAsync(client, traceName, limit, cancellationToken).ConfigureAwait(false);
            var answer = stoppedByItself ?? (await client.ApplyAsync($"stop nstrace -fileName {traceName}", CancellationToken.None).ConfigureAwait(false)).Output;
            await Console.Out.WriteAsync(answer).ConfigureAwait(false);
            PrintHint(answer);
            return 0;
        }
    }

    /// <summary>Waits for Ctrl-C, the time limit, or the capture stopping by itself (then returns what show nstrace says).</summary>
    private static async Task<string?> FollowAsync(AdminClient client, string traceName, TimeSpan? limit, CancellationToken cancellationToken)
    {
        var deadline = limit is { } l ? DateTime.UtcNow + l : DateTime.MaxValue;
        while (!cancellationToken.IsCancellationRequested && DateTime.UtcNow < deadline)
        {
            try
            {
                var wait = deadline - DateTime.UtcNow;
                await Task.Delay(wait < TimeSpan.FromMilliseconds(500) ? wait : TimeSpan.FromMilliseconds(500), cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            var shown = await client.ApplyAsync($"show nstrace -fileName {traceName}", CancellationToken.None).ConfigureAwait(false);
            if (shown.Output.StartsWith($"{traceName}: STOPPED", StringComparison.Ordinal))
            {
                return shown.Output;
            }
        }

        return null;
    }

    internal static void PrintHint(string summary)
    {
        var file = summary.Split('\n').Select(l => l.Trim()).LastOrDefault(l => l.EndsWith(".pcap", StringComparison.Ordinal) || l.EndsWith(".pcapng", StringComparison.Ordinal));
        if (file is not null)
        {
            Console.WriteLine($"Open with: wireshark {file}   (or: tshark -r {file})");
        }
    }

    [GeneratedRegex(@"Trace (\S+) started")]
    private static partial Regex StartedName();
}

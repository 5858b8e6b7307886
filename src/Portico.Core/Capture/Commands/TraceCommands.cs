using System.Globalization;
using System.Text;
using Portico.Capture;
using Portico.CommandLanguage;
using Portico.Configuration;

namespace Portico.Capture.Commands;

/// <summary>
/// <c>start nstrace</c>, <c>stop nstrace</c>, <c>show nstrace</c>: NetScaler's packet capture, into pcap or
/// pcapng files in the trace directory. Actions, not config: <c>save config</c> never writes a capture.
/// </summary>
internal sealed class TraceCommands : ICommandModule
{
    /// <summary>NetScaler's packet modes: all mean "the wire" to Portico, which sees both directions as libpcap does.</summary>
    private static readonly HashSet<string> WireModes = new(StringComparer.OrdinalIgnoreCase)
    {
        "DEFAULT_MODE", "NEW_RX", "TXB", "TX", "RX", "IPV6", "C2C", "NS_FR_TX", "MPTCP", "APPFW", "HTTP_QUIC", "POLICYBASED",
    };

    public void Register(CommandRegistry r)
    {
        r.Action("start", "nstrace", "Starts a packet capture into pcap/pcapng files in the trace directory (portico trace does the same from the shell)")
            .Option("fileName", Values.Name, "the capture's name, the first part of its file names (default trace1, trace2...)")
            .Option("size", Values.Int(0, 65535), "bytes kept of each packet; 0 = the whole packet (default 164)")
            .Option("nf", Values.Int(1, 100), "files kept in the cycle: opening one more deletes the oldest (default 24)")
            .Option("time", Values.Int(1, int.MaxValue), "seconds per file (default 3600)")
            .Option("fileSize", Values.Int(1, 1_000_000), "MB per file, instead of -time")
            .Option("maxSize", Values.Int(1, 10_000_000), "size cap in MB of the capture's files on disk: the capture stops there (default 1024)")
            .Option("filter", Values.Text, "a BPF expression; 'vserver NAME' and 'service NAME' stand for their addresses and ports")
            .Option("link", Values.EnabledDisabled, "ENABLED: a vserver in the filter brings its server side, a service its client side")
            .Option("interface", Values.Words, "interfaces to capture on (any = all); default: those carrying the filter's addresses")
            .Option("traceformat", TraceFormats.Parser, "PCAP or PCAPNG (default PCAP; PCAPNG with -mode SSLPLAIN or -capsslkeys)")
            .Option("mode", Values.Words, "SSLPLAIN: the decrypted tap of proxied connections; NetScaler's packet modes mean the wire")
            .Option("capsslkeys", Values.EnabledDisabled, "ENABLED: TLS secrets of handshakes seen during the capture, in the pcapng file (portico run --tls-keylog)")
            .Keeps("perNIC", "fileId", "nodes", "merge", "doruntimecleanup", "traceBuffers", "skipRPC", "inMemoryTrace", "scope", "capdroppkt")
            .Runs(Start);

        r.Action("stop", "nstrace", "Stops captures: the one named, or every running one")
            .Option("fileName", Values.Name, "the capture to stop (default: all)")
            .Runs(Stop);

        r.Query("show", "nstrace", "Lists running captures and the last stopped ones: packets, drops, files, why they stopped")
            .Option("fileName", Values.Name, "one capture, with its files")
            .Runs(Show);
    }

    /// <summary>Reads the options of a <c>start nstrace</c> line into a request (tests and the trace verb use it too).</summary>
    internal static TraceRequest Request(ParsedCommand c)
    {
        if (c.Has("time") && c.Has("fileSize"))
        {
            throw c.Error("fileSize", "-time and -fileSize both say when a file ends; give one of them");
        }

        var sslPlain = false;
        foreach (var mode in c.Get<List<string>>("mode", []))
        {
            if (mode.Equals("SSLPLAIN", StringComparison.OrdinalIgnoreCase))
            {
                sslPlain = true;
            }
            else if (!WireModes.Contains(mode))
            {
                throw c.Error("mode", $"unknown mode '{mode}'; expected SSLPLAIN (the decrypted tap) or a NetScaler packet mode (NEW_RX, TXB...)");
            }
        }

        if (sslPlain && c.Get<List<string>>("mode").Count > 1)
        {
            throw c.Error("mode", "SSLPLAIN is the decrypted tap and cannot share a file with wire packets of the same connections; run a second capture for the wire");
        }

        if (sslPlain && c.Has("capsslkeys"))
        {
            throw c.Error("capsslkeys", "-capsslkeys goes with a wire capture (it lets Wireshark decrypt the TLS packets); -mode SSLPLAIN already writes plaintext");
        }

        var format = c.Maybe<TraceFormat>("traceformat");
        var keys = c.Get("capsslkeys", false);
        if (keys && format == TraceFormat.Pcap)
        {
            throw c.Error("traceformat", "TLS secrets travel inside pcapng files (Decryption Secrets Blocks): use -traceformat PCAPNG with -capsslkeys");
        }

        return new TraceRequest
        {
            Name = c.MaybeRef<string>("fileName"),
            Size = (int)c.Get("size", (long)TraceRequest.DefaultSnaplen),
            FileCount = (int)c.Get("nf", (long)TraceRequest.DefaultFileCount),
            FileSeconds = c.Get("time", TraceRequest.DefaultFileSeconds),
            FileBytes = c.Maybe<long>("fileSize") * 1024 * 1024,
            MaxBytes = c.Maybe<long>("maxSize") * 1024 * 1024,
            Filter = c.MaybeRef<string>("filter"),
            Link = c.Get("link", false),
            Interfaces = c.Get<List<string>>("interface", []),
            Format = format,
            SslPlain = sslPlain,
            CaptureSslKeys = keys,
        };
    }

    private static string Start(CommandContext ctx, ParsedCommand c)
    {
        var request = Request(c);
        var manager = ctx.Get<TraceManager>();
        TraceSession session;
        try
        {
            session = manager.Start(request);
        }
        catch (TraceStartException e)
        {
            throw e.Option is { } option ? c.Error(option, e.Message) : c.Error(e.Message);
        }

        var sb = new StringBuilder();
        foreach (var kept in c.Kept)
        {
            sb.Append("note: ").Append(kept).Append(" is accepted for compatibility and has no effect in Portico\n");
        }

        sb.Append(CultureInfo.InvariantCulture, $"Trace {session.Name} started: {Describe(session)}\n");
        sb.Append(CultureInfo.InvariantCulture, $"Writing {session.Files.Paths[^1]}\n");
        sb.Append(CultureInfo.InvariantCulture, $"Stop it with: stop nstrace -fileName {session.Name}\n");
        return sb.ToString();
    }

    private static string Stop(CommandContext ctx, ParsedCommand c)
    {
        var name = c.MaybeRef<string>("fileName");
        var stopped = ctx.Get<TraceManager>().Stop(name, "stop nstrace");
        if (stopped.Count == 0)
        {
            throw name is null
                ? c.Error("no capture is running")
                : c.Error("fileName", $"no capture named '{name}' is running (show nstrace lists them)");
        }

        var sb = new StringBuilder();
        foreach (var s in stopped)
        {
            sb.Append(CultureInfo.InvariantCulture, $"Trace {s.Name} stopped: ").Append(s.Summary());
        }

        return sb.ToString();
    }

    private static string Show(CommandContext ctx, ParsedCommand c)
    {
        var manager = ctx.Get<TraceManager>();
        var sessions = manager.List();
        if (c.MaybeRef<string>("fileName") is { } name)
        {
            var s = sessions.FirstOrDefault(x => x.Name == name)
                ?? throw c.Error("fileName", $"no capture named '{name}' (running or recently stopped)");
            return Detail(s);
        }

        var table = new TextTable("Name", "State", "Mode", "Where", "Packets", "Dropped", "Files", "MB", "Started", "Filter");
        foreach (var s in sessions)
        {
            table.Row(s.Name, s.Running ? "RUNNING" : "STOPPED", s.Mode, s.Source.Where, s.Files.Packets, s.Source.Dropped, s.Files.Paths.Count,
                (s.Files.BytesOnDisk / (1024.0 * 1024)).ToString("0.##", CultureInfo.InvariantCulture),
                s.Started.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture), s.Request.Filter ?? "(all)");
        }

        var stoppedWhy = sessions.Where(s => !s.Running).Select(s => $"{s.Name}: stopped: {s.StopReason}");
        return $"{sessions.Count} trace(s); trace directory {manager.Settings.Directory}\n"
            + (sessions.Count == 0 ? "" : table.ToString())
            + string.Concat(stoppedWhy.Select(l => l + "\n"));
    }

    private static string Detail(TraceSession s)
    {
        var r = s.Request;
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"{s.Name}: {(s.Running ? "RUNNING" : $"STOPPED ({s.StopReason})")}\n");
        sb.Append(CultureInfo.InvariantCulture, $"\t{Describe(s)}\n");
        sb.Append(CultureInfo.InvariantCulture, $"\tStarted: {s.Started.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC");
        if (s.Stopped is { } at)
        {
            sb.Append(CultureInfo.InvariantCulture, $"\tStopped: {at.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC");
        }

        sb.Append('\n');
        if (s.Note is { } note)
        {
            sb.Append("\tNote: ").Append(note).Append('\n');
        }

        if (r.SslPlain)
        {
            sb.Append("\tNot a wire capture: plaintext as Portico read and wrote it, framed as synthesized TCP packets\n");
        }

        sb.Append('\t').Append(s.Summary().Replace("\n  ", "\n\t  ", StringComparison.Ordinal));
        return sb.ToString();
    }

    private static string Describe(TraceSession s)
    {
        var r = s.Request;
        var rotation = r.FileBytes is { } bytes ? $"{bytes / (1024 * 1024)} MB" : $"{r.FileSeconds} s";
        var filter = s.Filter.Bpf is null ? "no filter" : s.Filter.Text == s.Filter.Bpf ? $"filter \"{s.Filter.Bpf}\"" : $"filter \"{s.Filter.Text}\" = \"{s.Filter.Bpf}\"";
        return string.Create(CultureInfo.InvariantCulture,
            $"{(r.SslPlain ? "decrypted tap (SSLPLAIN)" : $"wire capture on {s.Source.Where}")}, {filter}, "
            + $"{(r.Size == 0 ? "whole packets" : $"{r.Size} bytes per packet")}, {TraceFormats.Words[r.EffectiveFormat]}, "
            + $"{r.FileCount} file(s) of {rotation} in cycle, stops at {s.Files.Limits.MaxBytes / (1024 * 1024)} MB");
    }
}

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
            .Runs<TraceManager>(manager => (_, c) => Start(manager, c));

        r.Action("stop", "nstrace", "Stops captures: the one named, or every running one")
            .Option("fileName", Values.Name, "the capture to stop (default: all)")
            .Runs<TraceManager>(manager => (_, c) => Stop(manager, c));

        r.Query("show", "nstrace", "Lists running captures and the last stopped ones: packets, drops, files, why they stopped")
            .Option("fileName", Values.Name, "one capture, with its files")
            .Runs<TraceManager>(manager => (_, c) => Show(manager, c));
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

    private static TraceStarted Start(TraceManager manager, ParsedCommand c)
    {
        var request = Request(c);
        TraceSession session;
        try
        {
            session = manager.Start(request);
        }
        catch (TraceStartException e)
        {
            throw e.Option is { } option ? c.Error(option, e.Message) : c.Error(e.Message);
        }

        return new TraceStarted(session.Name, Describe(session), session.Files.Paths[^1], [.. c.Kept.Select(k => k.ToString())]);
    }

    private static TracesStopped Stop(TraceManager manager, ParsedCommand c)
    {
        var name = c.MaybeRef<string>("fileName");
        var stopped = manager.Stop(name, "stop nstrace");
        if (stopped.Count == 0)
        {
            throw name is null
                ? c.Error("no capture is running")
                : c.Error("fileName", $"no capture named '{name}' is running (show nstrace lists them)");
        }

        return new TracesStopped([.. stopped.Select(s => new TraceSummary(s.Name, s.Summary()))]);
    }

    private static IQueryResult Show(TraceManager manager, ParsedCommand c)
    {
        var sessions = manager.List();
        if (c.MaybeRef<string>("fileName") is { } name)
        {
            var s = sessions.FirstOrDefault(x => x.Name == name)
                ?? throw c.Error("fileName", $"no capture named '{name}' (running or recently stopped)");
            return new TraceDetail(s.Name, s.Running, s.StopReason, Describe(s), s.Started, s.Stopped, s.Note, s.Request.SslPlain, s.Summary());
        }

        return new TraceList(manager.Settings.Directory, [.. sessions.Select(s => new TraceRow(s.Name, s.Running, s.Mode, s.Source.Where, s.Files.Packets,
            s.Source.Dropped, s.Files.Paths.Count, s.Files.BytesOnDisk, s.Started, s.Request.Filter, s.StopReason))]);
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

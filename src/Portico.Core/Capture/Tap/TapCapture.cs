using System.Buffers;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Portico.Capture.Files;
using Portico.Capture.Filters;
using Portico.Capture.Wire;
using SharpPcap.LibPcap;

namespace Portico.Capture.Tap;

/// <summary>
/// The decrypted tap (<c>-mode SSLPLAIN</c>): the plaintext of each covered connection as Portico reads and
/// writes it (after TLS on an SSL vserver), written as synthesized TCP packets (<see cref="TcpFraming"/>).
/// The data paths copy their bytes into a bounded queue and go on; one writer task turns records into
/// packets and files. When the queue is full (by count or by bytes) records are dropped and counted, so a
/// slow disk never slows a connection. It is not a wire capture: no retransmission, window or timing of
/// the real packets is in it, and the files say so.
/// </summary>
internal sealed partial class TapCapture : ITraceSource
{
    /// <summary>The description every tap file carries, in its section comment and interface description.</summary>
    public const string Disclaimer = "Portico decrypted tap (-mode SSLPLAIN): the plaintext of each connection as Portico read and wrote it, "
        + "framed as synthesized TCP packets; not a literal wire capture (no retransmissions, windows or real timing)";

    private const int QueueRecords = 16_384;
    private const long QueueBytes = 64L << 20;

    // LINKTYPE_RAW is 101 in files, but libpcap compiles filters for the platform's DLT_RAW, 12 on Linux.
    private const int DltRaw = 12;

    private readonly Channel<TapRecord> _queue = Channel.CreateBounded<TapRecord>(new BoundedChannelOptions(QueueRecords)
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.Wait,
    });

    private readonly ConnectionTaps _taps;
    private readonly TraceFiles _files;
    private readonly int _snaplen;
    private readonly bool _link;
    private readonly ILogger _logger;
    private volatile TraceFilter _filter;
    private volatile BpfProgram? _bpf;

    // Filters replaced while the writer may still be matching with them: the writer disposes them between records.
    private readonly System.Collections.Concurrent.ConcurrentQueue<BpfProgram> _retired = new();
    private long _queuedBytes;
    private long _dropped;
    private CaptureThread? _writer;

    public TapCapture(ConnectionTaps taps, TraceFiles files, TraceFilter filter, bool link, int snaplen, ILogger logger)
    {
        _taps = taps;
        _files = files;
        _filter = filter;
        _link = link;
        _snaplen = snaplen;
        _logger = logger;
        _bpf = Compile(filter);
    }

    /// <summary>How the tap appears in its files.</summary>
    public static TraceInterface Interface(int snaplen) => new("portico-sslplain", TraceInterface.RawIp, snaplen, Disclaimer);

    public string Where => "decrypted tap";

    public long Dropped => Interlocked.Read(ref _dropped);

    public void Start()
    {
        // A thread of its own at nice 19: the connections it copies from keep the CPU, and the queue drops instead.
        _writer = new CaptureThread("portico-trace-tap", Write);
        _writer.Start();
        _taps.Add(this);
    }

    public void Stop()
    {
        _taps.Remove(this);
        _queue.Writer.TryComplete();
        if (_writer is { } writer && !writer.Join(TimeSpan.FromSeconds(10)))
        {
            Log.WriterFailed(_logger, "it did not finish within 10 s");
        }

        while (_queue.Reader.TryRead(out var left))
        {
            Release(left);
        }

        DisposeRetired();
        _bpf?.Dispose();
    }

    public void UpdateFilter(TraceFilter filter)
    {
        var old = _bpf;
        _filter = filter;
        _bpf = Compile(filter);
        if (old is not null)
        {
            _retired.Enqueue(old);
        }
    }

    public void Dispose() => Stop();

    /// <summary>Which sides of a connection of <paramref name="vserver"/> to <paramref name="member"/> this capture shows.</summary>
    public (bool Client, bool Server) Covers(string vserver, string? member)
    {
        var f = _filter;
        if (!f.NamesOnly)
        {
            // No names, or names mixed with BPF: both sides are synthesized and the expanded filter picks packets.
            return (true, true);
        }

        var byVserver = f.Vservers.Contains(vserver, StringComparer.Ordinal);
        var byService = member is not null && f.Services.Contains(member, StringComparer.Ordinal);
        return (byVserver || (byService && _link), byService || (byVserver && _link));
    }

    /// <summary>Whether this capture shows Portico's own connections to <paramref name="member"/> (the L7 server side).</summary>
    public (bool Client, bool Server) CoversMember(string member)
    {
        var f = _filter;
        if (!f.NamesOnly)
        {
            return (false, true);
        }

        // A vserver named with -link brings the members bound to it; L7 pools are per member, not per vserver.
        return (false, f.Services.Contains(member, StringComparer.Ordinal) || (_link && f.LinkedMembers.Contains(member, StringComparer.Ordinal)));
    }

    /// <summary>Room in the queue for a record of <paramref name="length"/> bytes.</summary>
    internal bool HasRoom(int length) => Interlocked.Read(ref _queuedBytes) + length <= QueueBytes;

    internal void CountDrop() => Interlocked.Increment(ref _dropped);

    /// <summary>Queues a record; false (and counted as dropped) when the queue is full.</summary>
    internal bool Enqueue(in TapRecord record)
    {
        if (record.Length > 0)
        {
            Interlocked.Add(ref _queuedBytes, record.Length);
        }

        if (_queue.Writer.TryWrite(record))
        {
            return true;
        }

        Interlocked.Add(ref _queuedBytes, -record.Length);
        Interlocked.Increment(ref _dropped);
        return false;
    }

    private void Write()
    {
        try
        {
            Drain();
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or ObjectDisposedException)
        {
            Log.WriterFailed(_logger, e.Message);
            _files.Stop($"the decrypted tap's writer failed: {e.Message}");
        }
    }

    private void Drain()
    {
        var packet = new byte[TcpFraming.MaxPacket];
        var reader = _queue.Reader;
        while (reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
        {
            while (reader.TryRead(out var record))
            {
                DisposeRetired();
                try
                {
                    Write(record, packet);
                }
                finally
                {
                    Release(record);
                }
            }
        }
    }

    private void DisposeRetired()
    {
        while (_retired.TryDequeue(out var old))
        {
            old.Dispose();
        }
    }

    private void Write(in TapRecord r, byte[] packet)
    {
        var flow = r.Flow;
        if (flow.ClientSide is { } client)
        {
            Side(r, packet, client.Client, client.Vip);
        }

        if (flow.ServerSide is { } server)
        {
            Side(r, packet, server.Local, server.Member);
        }
    }

    // One side of the connection: the initiator (client, or Portico toward a member) and the responder.
    private void Side(in TapRecord r, byte[] packet, TapEndpoint initiator, TapEndpoint responder)
    {
        var (from, to) = r.ToServer ? (initiator, responder) : (responder, initiator);
        switch (r.Event)
        {
            case TapEvent.Open:
                Emit(packet, r.UnixMicros, initiator, responder, 0, 0, TcpFraming.Syn, []);
                Emit(packet, r.UnixMicros, responder, initiator, 0, 1, TcpFraming.Syn | TcpFraming.Ack, []);
                Emit(packet, r.UnixMicros, initiator, responder, 1, 1, TcpFraming.Ack, []);
                break;
            case TapEvent.Data:
                var payload = r.Buffer.AsSpan(0, r.Length);
                var seq = r.Seq;
                while (!payload.IsEmpty)
                {
                    var n = Math.Min(payload.Length, TcpFraming.MaxPayload);
                    Emit(packet, r.UnixMicros, from, to, seq, r.Ack, TcpFraming.Ack | TcpFraming.Psh, payload[..n]);
                    seq = unchecked(seq + (uint)n);
                    payload = payload[n..];
                }

                break;
            case TapEvent.End:
                Emit(packet, r.UnixMicros, from, to, r.Seq, r.Ack, TcpFraming.Fin | TcpFraming.Ack, []);
                break;
            case TapEvent.Reset:
                Emit(packet, r.UnixMicros, initiator, responder, r.Seq, r.Ack, TcpFraming.Rst | TcpFraming.Ack, []);
                break;
        }
    }

    private void Emit(byte[] packet, long micros, TapEndpoint from, TapEndpoint to, uint seq, uint ack, byte flags, ReadOnlySpan<byte> payload)
    {
        var length = TcpFraming.Build(packet, from, to, seq, ack, flags, payload);
        var bytes = packet.AsSpan(0, length);
        if (_bpf is { } bpf && !bpf.Matches(bytes))
        {
            return;
        }

        _files.Write(0, micros, bytes[..Math.Min(length, _snaplen)], length);
    }

    private void Release(in TapRecord r)
    {
        if (r.Buffer is { } buffer)
        {
            Interlocked.Add(ref _queuedBytes, -r.Length);
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    // A filter of names only is applied by choosing connections and sides; anything else runs as BPF on each packet.
    private static BpfProgram? Compile(TraceFilter filter) =>
        filter.Bpf is null || filter.NamesOnly ? null : LibPcap.Compile(filter.Bpf, (PacketDotNet.LinkLayers)DltRaw);

    private static partial class Log
    {
        [LoggerMessage(EventId = 820, Level = LogLevel.Warning, Message = "Decrypted tap writer failed: {Error}")]
        public static partial void WriterFailed(ILogger logger, string error);
    }
}

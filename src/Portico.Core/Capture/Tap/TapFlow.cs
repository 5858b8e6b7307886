using System.Buffers;

namespace Portico.Capture.Tap;

/// <summary>
/// One proxied connection as one capture shows it: its client side (client → VIP) and/or its server side
/// (Portico's source → member), which carry the same bytes, so one pair of sequence numbers serves both.
/// Each direction's number is advanced only by the pump of that direction.
/// </summary>
internal sealed class TapFlow
{
    private readonly TapCapture _capture;
    private uint _toServerSeq = 1;
    private uint _toClientSeq = 1;
    private int _reset;
    private int _ended;

    public TapFlow(TapCapture capture, (TapEndpoint Client, TapEndpoint Vip)? clientSide, (TapEndpoint Local, TapEndpoint Member)? serverSide)
    {
        _capture = capture;
        ClientSide = clientSide;
        ServerSide = serverSide;
        capture.Enqueue(new TapRecord(this, TapEvent.Open, true, 0, 0, Now(), null, 0));
    }

    public (TapEndpoint Client, TapEndpoint Vip)? ClientSide { get; }

    public (TapEndpoint Local, TapEndpoint Member)? ServerSide { get; }

    public void Data(bool toServer, ReadOnlySpan<byte> data)
    {
        if (Volatile.Read(ref _reset) != 0 || data.IsEmpty)
        {
            return;
        }

        ref var seq = ref toServer ? ref _toServerSeq : ref _toClientSeq;
        var ack = toServer ? Volatile.Read(ref _toClientSeq) : Volatile.Read(ref _toServerSeq);
        var at = seq;
        seq = unchecked(seq + (uint)data.Length);
        if (!_capture.HasRoom(data.Length))
        {
            _capture.CountDrop();
            return;
        }

        var buffer = ArrayPool<byte>.Shared.Rent(data.Length);
        data.CopyTo(buffer);
        if (!_capture.Enqueue(new TapRecord(this, TapEvent.Data, toServer, at, ack, Now(), buffer, data.Length)))
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public void End(bool toServer)
    {
        var bit = toServer ? 1 : 2;
        if (Volatile.Read(ref _reset) != 0 || (Interlocked.Or(ref _ended, bit) & bit) != 0)
        {
            return;
        }

        ref var seq = ref toServer ? ref _toServerSeq : ref _toClientSeq;
        var ack = toServer ? Volatile.Read(ref _toClientSeq) : Volatile.Read(ref _toServerSeq);
        var at = seq;
        seq = unchecked(seq + 1); // a FIN takes one sequence number
        _capture.Enqueue(new TapRecord(this, TapEvent.End, toServer, at, ack, Now(), null, 0));
    }

    public void Reset()
    {
        if (Interlocked.Exchange(ref _reset, 1) == 0)
        {
            _capture.Enqueue(new TapRecord(this, TapEvent.Reset, true, Volatile.Read(ref _toServerSeq), Volatile.Read(ref _toClientSeq), Now(), null, 0));
        }
    }

    private static long Now() => (DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks) / 10;
}

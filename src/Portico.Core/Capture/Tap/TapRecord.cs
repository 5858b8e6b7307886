namespace Portico.Capture.Tap;

/// <summary>What happened on a tapped connection.</summary>
internal enum TapEvent : byte
{
    /// <summary>The connection began: the writer synthesizes the three-way handshake.</summary>
    Open,

    /// <summary>Bytes went one way.</summary>
    Data,

    /// <summary>One way ended (FIN).</summary>
    End,

    /// <summary>The connection was reset.</summary>
    Reset,
}

/// <summary>
/// One event queued from the data path to the tap's writer. The sequence numbers are taken when the event
/// is queued, so a dropped record leaves a gap Wireshark reports ("previous segment not captured") instead
/// of shifting the rest of the stream.
/// </summary>
internal readonly record struct TapRecord(
    TapFlow Flow,
    TapEvent Event,
    bool ToServer,
    uint Seq,
    uint Ack,
    long UnixMicros,
    byte[]? Buffer,
    int Length);

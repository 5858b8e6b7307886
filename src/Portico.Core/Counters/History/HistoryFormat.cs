namespace Portico.Counters.History;

/// <summary>
/// The counters history file, record by record (docs/design/counters-history.md). After an 8-byte
/// magic, every record is <c>u32 length | u8 type | body | u32 CRC-32(type + body)</c>, little-endian:
/// a record cut short by a crash, or damaged, fails its length or checksum and the reader stops there,
/// keeping everything before it.
/// </summary>
public static class HistoryFormat
{
    /// <summary>"PNSLOG" + format version 1 + newline.</summary>
    public static ReadOnlySpan<byte> Magic => "PNSLOG\u0001\n"u8;

    /// <summary>The file being written; archives are <c>portico.newnslog.N</c>, N increasing with age order (newest highest).</summary>
    public const string CurrentName = "portico.newnslog";

    /// <summary>No record is larger: a bigger length can only be damage.</summary>
    public const int MaxRecordLength = 16 * 1024 * 1024;

    /// <summary>Once per file, first: who wrote it and when it starts.</summary>
    public const byte FileInfo = 1;

    /// <summary>Declares a counter id: name, unit, kind, entity tag, description.</summary>
    public const byte Counter = 2;

    /// <summary>Declares an entity id: the name of a vserver, service, core...</summary>
    public const byte Entity = 3;

    /// <summary>Sampled values: the series that changed since the previous sample of the file (all of them in the first).</summary>
    public const byte Sample = 4;

    /// <summary>An event from the event log (service UP/DOWN with its reason, config applied...).</summary>
    public const byte Event = 5;
}

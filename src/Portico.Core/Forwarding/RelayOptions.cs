namespace Portico.Forwarding;

/// <summary>Tuning of the byte relay, chosen by measurement (see docs/design/l4-pump.md).</summary>
public sealed record RelayOptions
{
    /// <summary>Bytes read at once per direction; a buffer is held only while data flows.</summary>
    public int BufferSize { get; init; } = 64 * 1024;

    /// <summary>Idle seconds before a connection is closed when neither vserver nor service says (NetScaler's TCP default).</summary>
    public long DefaultIdleTimeoutSeconds { get; init; } = 9000;
}

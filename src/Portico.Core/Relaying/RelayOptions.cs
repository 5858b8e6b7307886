namespace Portico.Relaying;

/// <summary>How a relay moves bytes between its two sockets.</summary>
public enum RelayMode
{
    /// <summary>recv into a pooled buffer, send from it (see <see cref="TcpRelay"/>).</summary>
    Managed,

    /// <summary>splice(2) socket → pipe → socket, the bytes never enter user space (Linux).</summary>
    Splice,

    /// <summary>
    /// Managed until a direction has relayed <see cref="RelayOptions.SpliceAfterBytes"/>, then splice:
    /// short connections skip the pipe overhead, bulk flows get splice's lower CPU per byte.
    /// </summary>
    Auto,
}

/// <summary>Tuning of the byte relay, chosen by measurement (see docs/design/l4-pump.md).</summary>
public sealed record RelayOptions
{
    /// <summary>Bytes read at once per direction (the pipe size in splice mode); a buffer is held only while data flows.</summary>
    public int BufferSize { get; init; } = 64 * 1024;

    /// <summary>Copy, splice, or copy then splice for bulk flows (the default, chosen by the numbers in docs/design/l4-pump.md).</summary>
    public RelayMode Mode { get; init; } = RelayMode.Auto;

    /// <summary>In <see cref="RelayMode.Auto"/>, bytes a direction relays by copy before it switches to splice.</summary>
    public long SpliceAfterBytes { get; init; } = 256 * 1024;

    /// <summary>Idle seconds before a connection is closed when neither vserver nor service says (NetScaler's TCP default).</summary>
    public long DefaultIdleTimeoutSeconds { get; init; } = 9000;
}

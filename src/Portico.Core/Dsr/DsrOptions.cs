namespace Portico.Dsr;

/// <summary>Tuning of the DSR data path (<c>portico run --dsr-io</c>); the defaults are what measured best (docs/design/dsr.md).</summary>
public sealed record DsrOptions
{
    /// <summary>How ports receive frames.</summary>
    public PacketIo Io { get; init; } = PacketIo.Ring;
}

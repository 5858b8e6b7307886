using Portico.Capture.Tap;

namespace Portico.Relaying;

/// <summary>
/// The decrypted tap's hook in the relay: when a capture with <c>-mode SSLPLAIN</c> covers the connection,
/// every byte read is also handed to <see cref="Tap"/>. A tapped relay stays on the copy path (splice
/// moves bytes kernel to kernel, where no tap can see them); an untapped one pays a null check per read.
/// </summary>
public sealed partial class TcpRelay
{
    /// <summary>Set when a decrypted-tap capture covers this connection; null otherwise.</summary>
    public TapConnection? Tap { get; init; }
}

namespace Portico.Capture.Tap;

/// <summary>
/// What a data path holds for a connection some decrypted-tap capture covers (null when none does, so an
/// untapped connection costs one null check per read). The data path reports the bytes it relays and how
/// each direction ends; every covering capture gets its own copy, through a bounded queue that drops and
/// counts rather than slow the connection.
/// </summary>
public sealed class TapConnection
{
    private readonly TapFlow[] _flows;

    internal TapConnection(TapFlow[] flows) => _flows = flows;

    /// <summary>Bytes relayed toward the server (<paramref name="toServer"/>) or toward the client.</summary>
    public void Data(bool toServer, ReadOnlySpan<byte> data)
    {
        foreach (var flow in _flows)
        {
            flow.Data(toServer, data);
        }
    }

    /// <summary>The direction toward the server (the client sent FIN) or toward the client ended.</summary>
    public void End(bool toServer)
    {
        foreach (var flow in _flows)
        {
            flow.End(toServer);
        }
    }

    /// <summary>The connection was reset or aborted.</summary>
    public void Abort()
    {
        foreach (var flow in _flows)
        {
            flow.Reset();
        }
    }
}

namespace Portico.Http.Parsing;

/// <summary>What the field lines of one head said about framing, connection and expectations; a local of one parse.</summary>
internal struct FieldState
{
    public bool HostSeen;
    public Range Host;
    public bool ContentLengthSeen;
    public long ContentLength;
    public bool TransferEncodingSeen;

    /// <summary>Connection tokens: close, keep-alive, upgrade.</summary>
    public bool Close;
    public bool KeepAlive;
    public bool UpgradeToken;

    /// <summary>Connection lists some other token: the fields of that name are hop-by-hop too.</summary>
    public bool NamesOtherFields;
    public bool UpgradeField;
    public bool ExpectContinue;
    public bool ExpectOther;
}

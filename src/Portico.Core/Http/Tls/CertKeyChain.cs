namespace Portico.Http.Tls;

/// <summary>
/// The chain a certKey is linked to (<c>link ssl certKey</c>): what a handshake sends after the server
/// certificate, and what the link command checks for loops. Below the commands, since the L7 model
/// compiles the same chain.
/// </summary>
internal static class CertKeyChain
{
    /// <summary>Longest chain followed: deeper PKIs than this do not exist in practice, and it bounds a loop.</summary>
    public const int MaxDepth = 10;

    /// <summary>The certKeys <paramref name="ck"/> is linked to, nearest first (its issuer, then the issuer's...).</summary>
    public static List<SslCertKey> Of(IReadOnlyDictionary<string, SslCertKey> certKeys, SslCertKey ck)
    {
        var chain = new List<SslCertKey>();
        for (var next = ck.LinkedTo; next is not null && chain.Count < MaxDepth && certKeys.TryGetValue(next, out var up); next = up.LinkedTo)
        {
            chain.Add(up);
        }

        return chain;
    }
}

using System.Globalization;
using System.Text;

namespace Portico.Core.Tests.Http.Wire;

/// <summary>
/// One smuggling vector: a request whose body boundary differs depending on which framing field a parser believes,
/// followed by a closing request. <see cref="Readings"/> lists every boundary a parser could use, each with the
/// request that would come next; <see cref="MustRefuse"/> is the contract's status where the contract decides it.
/// </summary>
public sealed record SmugglingVector(string Name, byte[] Bytes, IReadOnlyList<(string Body, string? Next)> Readings, int? MustRefuse, int N)
{
    public string Target => $"/v{N}";

    public string Smuggled => $"/s{N}";

    public string End => $"/e{N}";

    public override string ToString() => Name;
}

/// <summary>
/// The vector corpus: PortSwigger's HTTP Request Smuggler (DesyncBox) permutations of <c>Transfer-Encoding</c>, each in
/// CL.TE, TE.CL and TE.TE form, and smuggler.py's exhaustive byte set (every byte 0x00-0xFF as a prefix or suffix of
/// the name and of the value of <c>Transfer-Encoding</c> and <c>Content-Length</c>). The permutations are written
/// from their published descriptions; every vector ends with <c>GET /eN</c> + <c>Connection: close</c>.
/// </summary>
public static class SmugglingVectors
{
    private const string Te = "Transfer-Encoding: chunked\r\n";

    /// <summary>DesyncBox's technique names and the field block each puts where <c>Transfer-Encoding: chunked</c> was.</summary>
    public static IReadOnlyList<(string Name, string Block, string? AfterRequestLine)> Permutations()
    {
        var list = new List<(string, string, string?)>
        {
            ("vanilla", Te, null),
            ("underjoin1", "Transfer_Encoding: chunked\r\n", null),
            ("spacejoin1", "Transfer Encoding: chunked\r\n", null),
            ("space1", "Transfer-Encoding : chunked\r\n", null),
            ("nameprefix1", "Foo: bar\r\n Transfer-Encoding: chunked\r\n", null),
            ("nameprefix2", "Foo: bar\r\n\tTransfer-Encoding: chunked\r\n", null),
            ("valueprefix1", "Transfer-Encoding:  chunked\r\n", null),
            ("nospace1", "Transfer-Encoding:chunked\r\n", null),
            ("linewrapped1", "Transfer-Encoding:\n chunked\r\n", null),
            ("gareth1", "Transfer-Encoding\n : chunked\r\n", null),
            ("badsetupCR", "Foo: bar\rTransfer-Encoding: chunked\r\n", null),
            ("badsetupLF", "Foo: bar\nTransfer-Encoding: chunked\r\n", null),
            ("vertwrap", "Transfer-Encoding: \n\u000bchunked\r\n", null),
            ("tabwrap", "Transfer-Encoding: \r\n\tchunked\r\n", null),
            ("multiCase", "tRANSFER-ENCODING: chunked\r\n", null),
            ("UPPERCASE", "TRANSFER-ENCODING: chunked\r\n", null),
            ("0dwrap", "Foo: bar\r\n\rTransfer-Encoding: chunked\r\n", null),
            ("0dspam", "Tra\rnsfer-Encoding: chunked\r\n", null),
            ("connection", "Connection: Transfer-Encoding\r\nTransfer-Encoding: chunked\r\n", null),
            ("spjunk", "Transfer-Encoding x: chunked\r\n", null),
            ("backslash", "Transfer\\Encoding: chunked\r\n", null),
            ("badwrap", "X-Blah-Ignore: chunked\r\n", " Transfer-Encoding: chunked\r\n"),
            ("spaceFF", "Transfer-Encoding:\u00ffchunked\r\n", null),
            ("unispace", "Transfer-Encoding:\u00a0chunked\r\n", null),
            ("commaCow", "Transfer-Encoding: chunked, identity\r\n", null),
            ("cowComma", "Transfer-Encoding: identity, chunked\r\n", null),
            ("contentEnc", "Content-Encoding: chunked\r\n", null),
            ("quoted", "Transfer-Encoding: \"chunked\"\r\n", null),
            ("aposed", "Transfer-Encoding: 'chunked'\r\n", null),
            ("dualchunk", "Transfer-Encoding: chunked\r\nTransfer-encoding: identity\r\n", null),
            ("lazygrep", "Transfer-Encoding: chunk\r\n", null),
            ("0dsuffix", "Transfer-Encoding: chunked\r\r\n", null),
            ("tabsuffix", "Transfer-Encoding: chunked\t\r\n", null),
            ("revdualchunk", "Transfer-Encoding: identity\r\nTransfer-Encoding: chunked\r\n", null),
            ("bodysplit", "X: y\r\nFoo: barn\n\nTransfer-Encoding: chunked\r\n", null),
            ("nested", "Transfer-Encoding: identity, chunked, identity\r\n", null),
            ("encode", "Transfer-%45ncoding: chunked\r\n", null),
            ("accentTE", "Transf\u0082r-Encoding: chunked\r\n", null),
            ("accentCH", "Transfer-Encoding: ch\u0096nked\r\n", null),
        };
        foreach (var c in new[] { 0x00, 0x09, 0x0B, 0x0C, 0x0D, 0x7F })
        {
            list.Add(($"spacefix1:{c}", $"Transfer-Encoding:{(char)c}chunked\r\n", null));
            list.Add(($"prefix1:{c}", $"Transfer-Encoding: {(char)c}chunked\r\n", null));
            list.Add(($"suffix1:{c}", $"Transfer-Encoding: chunked{(char)c}\r\n", null));
        }

        return list;
    }

    private static string SmuggledRequest(int n) => $"GET /s{n} HTTP/1.1\r\nHost: x\r\n\r\n";

    private static string Closing(int n) => $"GET /e{n} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";

    /// <summary>
    /// CL.TE: <c>Content-Length</c> covers <c>0 CRLF CRLF</c> plus a whole request; read as chunked, the body is empty
    /// and <c>/sN</c> is a request of its own.
    /// </summary>
    public static SmugglingVector ClTe(string name, string teBlock, string? afterRequestLine, int n, int? mustRefuse = null, string clName = "Content-Length", string clValue = "")
    {
        var body = "0\r\n\r\n" + SmuggledRequest(n);
        var cl = clValue.Length > 0 ? clValue : body.Length.ToString(CultureInfo.InvariantCulture);
        var text = $"POST /v{n} HTTP/1.1\r\n{afterRequestLine}Host: x\r\n{clName}: {cl}\r\n{teBlock}\r\n{body}{Closing(n)}";
        return new SmugglingVector($"CL.TE {name}", Encoding.Latin1.GetBytes(text), [("", $"/s{n}"), (body, $"/e{n}")], mustRefuse, n);
    }

    /// <summary>
    /// TE.CL: one chunk holds a whole request; <c>Content-Length</c> covers only the chunk-size line, so read by
    /// length, <c>/sN</c> is a request of its own (and the chunk's end that follows is no request).
    /// </summary>
    public static SmugglingVector TeCl(string name, string teBlock, string? afterRequestLine, int n, int? mustRefuse = null, string clBlock = "")
    {
        var smuggled = SmuggledRequest(n);
        var sizeLine = $"{smuggled.Length:x}\r\n";
        var body = $"{sizeLine}{smuggled}\r\n0\r\n\r\n";
        var cl = clBlock.Length > 0 ? clBlock : $"Content-Length: {sizeLine.Length}\r\n";
        var text = $"POST /v{n} HTTP/1.1\r\n{afterRequestLine}Host: x\r\n{teBlock}{cl}\r\n{body}{Closing(n)}";
        return new SmugglingVector($"TE.CL {name}", Encoding.Latin1.GetBytes(text), [(smuggled, $"/e{n}"), (sizeLine, $"/s{n}")], mustRefuse, n);
    }

    /// <summary>TE.TE: a plain <c>Transfer-Encoding: chunked</c> and the permuted one; no <c>Content-Length</c>.</summary>
    public static SmugglingVector TeTe(string name, string teBlock, string? afterRequestLine, int n, int? mustRefuse = null)
    {
        var text = $"POST /v{n} HTTP/1.1\r\n{afterRequestLine}Host: x\r\n{Te}{teBlock}\r\n5\r\nhello\r\n0\r\n\r\n{Closing(n)}";
        return new SmugglingVector($"TE.TE {name}", Encoding.Latin1.GetBytes(text), [("hello", $"/e{n}")], mustRefuse, n);
    }

    /// <summary>
    /// What the contract decides for a permutation, where it does: both framing fields recognised, or any byte the
    /// head grammar forbids, is a refusal; the rest may be forwarded as long as the backend's view agrees.
    /// </summary>
    public static int? ContractStatus(string permutation) => permutation switch
    {
        // A field Portico reads as Transfer-Encoding next to Content-Length (or a second TE line): 400.
        "vanilla" or "valueprefix1" or "nospace1" or "multiCase" or "UPPERCASE" or "tabsuffix" or "dualchunk" or "revdualchunk" or "connection" => 400,
        // Whitespace before the colon (and HTAB, the one byte of the spacefix1/prefix1/suffix1 sets that is OWS, which
        // leaves both framing fields), obs-fold, bare CR or LF, CTL or obs-text bytes, non-token names, quoted values: 400.
        "spacejoin1" or "space1" or "nameprefix1" or "nameprefix2" or "linewrapped1" or "gareth1" or "badsetupCR" or "badsetupLF" or "vertwrap"
            or "tabwrap" or "0dwrap" or "0dspam" or "spjunk" or "backslash" or "badwrap" or "spaceFF" or "unispace" or "quoted" or "aposed"
            or "0dsuffix" or "bodysplit" or "accentTE" or "accentCH" => 400,
        _ when permutation.StartsWith("spacefix1:", StringComparison.Ordinal) || permutation.StartsWith("prefix1:", StringComparison.Ordinal)
            || permutation.StartsWith("suffix1:", StringComparison.Ordinal) => 400,
        _ => null,
    };

    /// <summary>Where a byte goes in smuggler.py's exhaustive set.</summary>
    public enum Spot
    {
        TeNamePrefix,
        TeNameSuffix,
        TeValuePrefix,
        TeValueSuffix,
        ClNamePrefix,
        ClNameSuffix,
        ClValuePrefix,
        ClValueSuffix,
    }

    /// <summary>
    /// Every byte at <paramref name="spot"/>: TE spots on a CL.TE request, CL spots on a TE.CL request. Digits next to the
    /// Content-Length value only make another valid length (a request the client sent as such), so they are left out,
    /// except a leading 0.
    /// </summary>
    public static IEnumerable<SmugglingVector> ByteSet(Spot spot, int firstN)
    {
        for (var b = 0; b < 256; b++)
        {
            var c = ((char)b).ToString();
            if (spot is Spot.ClValuePrefix && b is >= '1' and <= '9' || spot is Spot.ClValueSuffix && b is >= '0' and <= '9')
            {
                continue;
            }

            // Every control byte, SP, HTAB and obs-text: the contract refuses each (in a name it is not a token, or
            // whitespace before the colon, or obs-fold; in a value a CTL, or a framing value outside its grammar;
            // SP and HTAB around a value are trimmed, leaving both framing fields: TE with CL).
            int? status = b is < 0x21 or >= 0x7F ? 400 : null;
            var name = $"{spot} 0x{b:x2}";
            var n = firstN + b;
            yield return spot switch
            {
                Spot.TeNamePrefix => ClTe(name, $"{c}Transfer-Encoding: chunked\r\n", null, n, status),
                Spot.TeNameSuffix => ClTe(name, $"Transfer-Encoding{c}: chunked\r\n", null, n, status),
                Spot.TeValuePrefix => ClTe(name, $"Transfer-Encoding: {c}chunked\r\n", null, n, status),
                Spot.TeValueSuffix => ClTe(name, $"Transfer-Encoding: chunked{c}\r\n", null, n, status),
                Spot.ClNamePrefix => TeCl(name, Te, null, n, status, clBlock: $"{c}Content-Length: {ClLength(n)}\r\n"),
                Spot.ClNameSuffix => TeCl(name, Te, null, n, status, clBlock: $"Content-Length{c}: {ClLength(n)}\r\n"),
                Spot.ClValuePrefix => TeCl(name, Te, null, n, status, clBlock: $"Content-Length: {c}{ClLength(n)}\r\n"),
                _ => TeCl(name, Te, null, n, status, clBlock: $"Content-Length: {ClLength(n)}{c}\r\n"),
            };
        }
    }

    /// <summary>The length of the TE.CL vector's chunk-size line for vector <paramref name="n"/> (what <see cref="TeCl"/> would write).</summary>
    private static string ClLength(int n) => $"{SmuggledRequest(n).Length:x}\r\n".Length.ToString(CultureInfo.InvariantCulture);
}

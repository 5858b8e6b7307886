namespace Portico.Compression;

/// <summary>What compression did since Portico started (<c>stat cmp</c>, <c>/metrics</c>, the history log).</summary>
public sealed class CmpStats
{
    /// <summary>Responses compressed.</summary>
    public long Requests;

    /// <summary>Body bytes the members sent for the compressed responses.</summary>
    public long BytesIn;

    /// <summary>Body bytes the clients got for them (the coding's bytes, without chunk framing).</summary>
    public long BytesOut;

    /// <summary>Responses a policy chose to compress that passed uncompressed: CPU above -cmpBypassPct.</summary>
    public long BypassedCpu;

    /// <summary>Responses passed uncompressed because the encoders' memory cap was reached.</summary>
    public long BypassedMemory;

    /// <summary>Compressed responses per coding.</summary>
    public long Gzip;

    public long Deflate;

    public long Brotli;

    public long Zstd;

    public void Count(ContentCoding coding)
    {
        Interlocked.Increment(ref Requests);
        switch (coding)
        {
            case ContentCoding.Gzip:
                Interlocked.Increment(ref Gzip);
                break;
            case ContentCoding.Deflate:
                Interlocked.Increment(ref Deflate);
                break;
            case ContentCoding.Brotli:
                Interlocked.Increment(ref Brotli);
                break;
            case ContentCoding.Zstd:
                Interlocked.Increment(ref Zstd);
                break;
        }
    }

    /// <summary>Bytes in over bytes out, as NetScaler's compression ratio (0 before any response).</summary>
    public static double Ratio(long bytesIn, long bytesOut) => bytesOut == 0 ? 0 : (double)bytesIn / bytesOut;
}

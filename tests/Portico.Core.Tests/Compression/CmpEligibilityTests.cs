using Portico.Compression;

namespace Portico.Core.Tests.Compression;

/// <summary>What is never compressed whatever the policies say, and the head changes of a compressed response.</summary>
public sealed class CmpEligibilityTests
{
    [Theory]
    [InlineData(200, null, null, "text/html", 5000L, 0L, null)]
    [InlineData(404, null, null, "text/html", null, 0L, null)]
    [InlineData(206, null, null, "text/html", 100L, 0L, "206")]
    [InlineData(204, null, null, null, null, 0L, "no body")]
    [InlineData(304, null, null, "text/html", null, 0L, "no body")]
    [InlineData(200, "gzip", null, "text/html", 100L, 0L, "Content-Encoding")]
    [InlineData(200, "identity", null, "text/html", 100L, 0L, null)]
    [InlineData(200, null, "public, no-transform", "text/html", 100L, 0L, "no-transform")]
    [InlineData(200, null, "No-Transform", "text/html", 100L, 0L, "no-transform")]
    [InlineData(200, null, "max-age=60", "text/html", 100L, 0L, null)]
    [InlineData(200, null, null, "text/html", 99L, 100L, "minResSize")]
    [InlineData(200, null, null, "text/html", 100L, 100L, null)]
    [InlineData(200, null, null, "text/html", 0L, 0L, "minResSize")]
    [InlineData(200, null, null, "text/html", null, 1000000L, null)]
    [InlineData(200, null, null, "image/png", 5000L, 0L, "compressed type")]
    [InlineData(200, null, null, "image/svg+xml", 5000L, 0L, null)]
    [InlineData(200, null, null, "video/mp4", 5000L, 0L, "compressed type")]
    [InlineData(200, null, null, "audio/ogg", 5000L, 0L, "compressed type")]
    [InlineData(200, null, null, "application/zip", 5000L, 0L, "compressed type")]
    [InlineData(200, null, null, "application/gzip", 5000L, 0L, "compressed type")]
    [InlineData(200, null, null, "application/octet-stream", 5000L, 0L, "compressed type")]
    [InlineData(200, null, null, "font/woff2", 5000L, 0L, "compressed type")]
    [InlineData(200, null, null, "Application/ZIP; name=x", 5000L, 0L, "compressed type")]
    [InlineData(200, null, null, "text/css; charset=utf-8", 5000L, 0L, null)]
    public void Never_compressed_cases_are_refused_with_their_reason(int status, string? encoding, string? cacheControl, string? type, long? length, long min,
        string? reason)
    {
        var refusal = CmpEligibility.Refusal(status, encoding, cacheControl, type, length, min);
        if (reason is null)
        {
            Assert.Null(refusal);
        }
        else
        {
            Assert.Contains(reason, refusal);
        }
    }

    [Theory]
    [InlineData(null, "Accept-Encoding")]
    [InlineData("", "Accept-Encoding")]
    [InlineData("Cookie", "Cookie, Accept-Encoding")]
    [InlineData("Cookie, accept-encoding", null)]
    [InlineData("*", null)]
    public void Vary_gets_Accept_Encoding_once(string? vary, string? expected) => Assert.Equal(expected, CmpEligibility.MergeVary(vary));

    [Theory]
    [InlineData("\"abc\"", "W/\"abc\"")]
    [InlineData("W/\"abc\"", null)]
    [InlineData(null, null)]
    public void A_strong_ETag_becomes_weak(string? etag, string? expected) => Assert.Equal(expected, CmpEligibility.Weaken(etag));
}

using System.Text;
using Portico.Compression;

namespace Portico.Core.Tests.Compression;

/// <summary>Accept-Encoding as browsers, curl and hostile clients write it, and the coding Portico then chooses.</summary>
public sealed class AcceptEncodingTests
{
    private static AcceptEncoding Parse(string value) => AcceptEncoding.Parse(Encoding.Latin1.GetBytes(value));

    [Theory]
    // What real clients send.
    [InlineData("gzip, deflate, br, zstd", "br")]
    [InlineData("gzip, deflate, br", "br")]
    [InlineData("gzip, deflate", "gzip")]
    [InlineData("deflate, gzip;q=1.0, *;q=0.5", "gzip")]
    [InlineData("gzip", "gzip")]
    [InlineData("x-gzip", "gzip")]
    [InlineData("deflate", "deflate")]
    [InlineData("br", "br")]
    [InlineData("zstd", "zstd")]
    [InlineData("GZIP", "gzip")]
    [InlineData("Br;Q=1", "br")]
    // q-values decide; Portico's order breaks ties.
    [InlineData("gzip;q=0.8, br;q=0.9", "br")]
    [InlineData("gzip;q=0.9, br;q=0.8", "gzip")]
    [InlineData("br;q=0.5, zstd;q=0.5, gzip;q=0.5", "br")]
    [InlineData("zstd;q=0.5, gzip;q=0.5", "zstd")]
    [InlineData("gzip;q=0.001", "gzip")]
    [InlineData("gzip ; q=0.5 , deflate;q=0.4", "gzip")]
    [InlineData("gzip;q=1.000", "gzip")]
    // q=0 refuses.
    [InlineData("gzip;q=0", "identity")]
    [InlineData("gzip;q=0.000, deflate", "deflate")]
    [InlineData("br;q=0, gzip", "gzip")]
    // "*" stands for every coding not named.
    [InlineData("*", "br")]
    [InlineData("*;q=0.5, gzip", "gzip")]
    [InlineData("*;q=0", "identity")]
    [InlineData("br;q=0, *", "zstd")]
    // identity preferred to every coding, or the only acceptable one.
    [InlineData("identity", "identity")]
    [InlineData("", "identity")]
    [InlineData("gzip;q=0.5", "gzip")]
    [InlineData("gzip;q=0.5, identity", "identity")]
    [InlineData("*;q=0.6, gzip;q=0.5", "br")]
    [InlineData("gzip;q=0.5, identity;q=0.4", "gzip")]
    [InlineData("identity;q=0, gzip;q=0.1", "gzip")]
    // Unknown codings and empty list elements are skipped.
    [InlineData("compress, gzip", "gzip")]
    [InlineData(",, gzip ,", "gzip")]
    [InlineData("sdch, gzip;foo=bar", "gzip")]
    public void The_coding_is_the_clients_preferred_one_at_Portico_s_order(string header, string expected) =>
        Assert.Equal(expected, Parse(header).Choose(CodingSet.All).Token());

    [Theory]
    [InlineData("gzip;q=")]
    [InlineData("gzip;q=1.5")]
    [InlineData("gzip;q=2")]
    [InlineData("gzip;q=0.5555")]
    [InlineData("gzip;q=1.001")]
    [InlineData("gzip;q=.5")]
    [InlineData("gzip;q=-1")]
    [InlineData("gzip;=1")]
    [InlineData("gzip;q")]
    [InlineData("gzip br")]
    [InlineData("gz\"ip")]
    [InlineData("gzip;q=0.5;")]
    [InlineData("gzip\u0000")]
    [InlineData("gzip;q=\"1\"")]
    [InlineData("gzip,\u00e9")]
    public void A_field_that_breaks_the_grammar_is_ignored_whole_and_nothing_is_compressed(string header)
    {
        var offer = Parse(header);
        Assert.False(offer.Present);
        Assert.Equal(ContentCoding.Identity, offer.Choose(CodingSet.All));
    }

    [Fact]
    public void A_field_longer_than_the_bound_or_with_too_many_elements_is_ignored()
    {
        Assert.False(Parse("gzip," + new string(' ', AcceptEncoding.MaxLength)).Present);
        Assert.False(Parse(string.Join(",", Enumerable.Repeat("x", AcceptEncoding.MaxElements + 1))).Present);
        Assert.True(Parse(string.Join(",", Enumerable.Repeat("x", AcceptEncoding.MaxElements - 1)) + ",gzip").Present);
    }

    [Theory]
    [InlineData("gzip, deflate, br", CodingSet.Gzip, "gzip")]
    [InlineData("gzip, deflate, br", CodingSet.Deflate, "deflate")]
    [InlineData("br", CodingSet.Gzip, "identity")]
    [InlineData("deflate;q=0, gzip", CodingSet.Deflate, "identity")]
    [InlineData("*", CodingSet.Deflate, "deflate")]
    public void An_action_that_forces_a_coding_gets_it_only_when_the_client_accepts_it(string header, CodingSet allowed, string expected) =>
        Assert.Equal(expected, Parse(header).Choose(allowed).Token());

    [Fact]
    public void No_field_means_no_compression()
    {
        Assert.False(AcceptEncoding.None.Present);
        Assert.Equal(ContentCoding.Identity, AcceptEncoding.None.Choose(CodingSet.All));
    }

    [Theory]
    [InlineData("0", 0)]
    [InlineData("1", 1000)]
    [InlineData("0.5", 500)]
    [InlineData("0.25", 250)]
    [InlineData("0.125", 125)]
    [InlineData("1.", 1000)]
    [InlineData("0.", 0)]
    public void Qvalues_read_in_thousandths(string text, short expected)
    {
        Assert.True(AcceptEncoding.TryQValue(Encoding.ASCII.GetBytes(text), out var q));
        Assert.Equal(expected, q);
    }
}

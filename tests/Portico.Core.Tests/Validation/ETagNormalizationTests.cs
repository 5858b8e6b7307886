using Portico.Validation;

namespace Portico.Core.Tests.Validation;

public sealed class ETagNormalizationTests
{
    private static readonly DateTimeOffset Modified = new(2026, 11, 1, 10, 0, 0, TimeSpan.Zero);

    [Theory]
    // Apache's INode MTime Size: the inode goes, weakness and mod_deflate/mod_brotli suffixes stay.
    [InlineData("\"2a1b3-5d8-5e1f0a2b3c4d5\"", "\"5d8-5e1f0a2b3c4d5\"")]
    [InlineData("W/\"2a1b3-5d8-5e1f0a2b3c4d5\"", "W/\"5d8-5e1f0a2b3c4d5\"")]
    [InlineData("\"2a1b3-5d8-5e1f0a2b3c4d5-gzip\"", "\"5d8-5e1f0a2b3c4d5-gzip\"")]
    [InlineData("\"2a1b3-5d8-5e1f0a2b3c4d5-br\"", "\"5d8-5e1f0a2b3c4d5-br\"")]
    public void Apache_tags_lose_their_inode(string member, string client)
    {
        var n = ETagNormalization.Normalize(member, 1496, Modified, bodyless: false);
        Assert.Equal(ETagAction.Replace, n.Action);
        Assert.Equal(client, n.Tag.ToString());
    }

    [Fact]
    public void Two_members_with_different_inodes_give_one_tag() =>
        Assert.Equal(
            ETagNormalization.Normalize("\"1f0042-5d8-5e1f0a2b3c4d5\"", 1496, Modified, false).Tag,
            ETagNormalization.Normalize("\"8c01a7-5d8-5e1f0a2b3c4d5\"", 1496, Modified, false).Tag);

    // Apache 2.4's default (size-mtime) and nginx's (mtime-size) hold no per-server part.
    [Theory]
    [InlineData("\"5d8-5e1f0a2b3c4d5\"")]
    [InlineData("\"6740a6a0-5d8\"")]
    [InlineData("W/\"6740a6a0-5d8\"")]
    [InlineData("\"5d8-5e1f0a2b3c4d5-gzip\"")]
    public void Two_part_file_tags_are_kept(string member)
    {
        var n = ETagNormalization.Normalize(member, 1496, Modified, bodyless: false);
        Assert.Equal(ETagAction.Keep, n.Action);
        Assert.Equal(member, n.Tag.ToString());
    }

    // IIS's "hash:changenumber", an application's tag, a value that is no tag: size and Last-Modified decide.
    [Theory]
    [InlineData("\"80b4f5a3c2d1da1:0\"")]
    [InlineData("\"v42\"")]
    [InlineData("garbage")]
    [InlineData("\"a-b-c-d-e\"")]
    public void Other_tags_are_derived_from_size_and_last_modified(string member)
    {
        var n = ETagNormalization.Normalize(member, 1496, Modified, bodyless: false);
        Assert.Equal(ETagAction.Replace, n.Action);
        Assert.Equal($"W/\"5d8-{Modified.ToUnixTimeSeconds():x}\"", n.Tag.ToString());
    }

    [Fact]
    public void Without_size_or_date_a_valid_tag_is_kept_and_garbage_removed()
    {
        Assert.Equal(ETagAction.Keep, ETagNormalization.Normalize("\"v42\"", null, Modified, false).Action);
        Assert.Equal(ETagAction.Keep, ETagNormalization.Normalize("\"v42\"", 10, null, false).Action);
        Assert.Equal(ETagAction.Remove, ETagNormalization.Normalize("garbage", null, null, false).Action);
    }

    [Fact]
    public void A_304_whose_tag_cannot_be_derived_loses_it_so_the_client_keeps_its_own() =>
        Assert.Equal(ETagAction.Remove, ETagNormalization.Normalize("\"80b4f5a3c2d1da1:0\"", null, Modified, bodyless: true).Action);

    [Fact]
    public void A_response_without_a_tag_gets_none() =>
        Assert.Equal(new NormalizedETag(ETagAction.Keep, null), ETagNormalization.Normalize(null, 1496, Modified, false));
}

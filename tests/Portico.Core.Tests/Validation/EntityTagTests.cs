using Portico.Validation;

namespace Portico.Core.Tests.Validation;

public sealed class EntityTagTests
{
    [Theory]
    [InlineData("\"abc\"", "abc", false)]
    [InlineData("W/\"abc\"", "abc", true)]
    [InlineData("\"\"", "", false)]
    [InlineData("  \"5d8-5e1f\"\t", "5d8-5e1f", false)]
    [InlineData("\"a!#~\"", "a!#~", false)]
    public void A_valid_tag_parses_with_its_weakness(string field, string opaque, bool weak)
    {
        Assert.True(EntityTag.TryParseField(field, out var tag));
        Assert.Equal(new EntityTag(opaque, weak), tag);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("w/\"abc\"")]
    [InlineData("\"abc")]
    [InlineData("\"a b\"")]
    [InlineData("\"abc\" x")]
    [InlineData("W/ \"abc\"")]
    [InlineData("")]
    public void Anything_else_is_not_a_tag(string field) => Assert.False(EntityTag.TryParseField(field, out _));

    // RFC 9110 section 8.8.3.2, the table of examples.
    [Theory]
    [InlineData("W/\"1\"", "W/\"1\"", false, true)]
    [InlineData("W/\"1\"", "W/\"2\"", false, false)]
    [InlineData("W/\"1\"", "\"1\"", false, true)]
    [InlineData("\"1\"", "\"1\"", true, true)]
    [InlineData("\"1\"", "\"2\"", false, false)]
    public void Strong_and_weak_comparison_follow_the_rfc_table(string a, string b, bool strong, bool weak)
    {
        Assert.True(EntityTag.TryParseField(a, out var x));
        Assert.True(EntityTag.TryParseField(b, out var y));
        Assert.Equal(strong, x.StrongEquals(y));
        Assert.Equal(weak, x.WeakEquals(y));
    }

    [Fact]
    public void A_tag_writes_back_as_it_was_read()
    {
        Assert.Equal("W/\"x-1\"", new EntityTag("x-1", true).ToString());
        Assert.Equal("\"x\"", new EntityTag("x", false).ToString());
    }
}

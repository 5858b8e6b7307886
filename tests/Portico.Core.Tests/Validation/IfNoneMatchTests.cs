using Portico.Validation;

namespace Portico.Core.Tests.Validation;

public sealed class IfNoneMatchTests
{
    private static readonly EntityTag Current = new("5d8-5e1f", false);

    [Theory]
    [InlineData("\"5d8-5e1f\"", false)]
    [InlineData("W/\"5d8-5e1f\"", false)]
    [InlineData("\"other\", \"5d8-5e1f\"", false)]
    [InlineData("\"other\",W/\"5d8-5e1f\"", false)]
    [InlineData(" , \"other\" ,, \"5d8-5e1f\" ,", false)]
    [InlineData("\"other\"", true)]
    [InlineData("*", false)]
    public void The_list_matches_by_weak_comparison(string value, bool noneMatch)
    {
        var condition = IfNoneMatch.Parse(value);
        Assert.NotNull(condition);
        Assert.Equal(noneMatch, condition.NoneMatch(Current));
    }

    [Fact]
    public void Star_fails_only_when_a_representation_exists() => Assert.True(IfNoneMatch.Parse("*")!.NoneMatch(null, representationExists: false));

    [Fact]
    public void A_list_holds_when_the_representation_has_no_tag() => Assert.True(IfNoneMatch.Parse("\"a\"")!.NoneMatch(null));

    [Theory]
    [InlineData("5d8-5e1f")]
    [InlineData("\"a\" \"b\"")]
    [InlineData("*, \"a\"")]
    [InlineData("\"a\", *")]
    [InlineData("\"a")]
    [InlineData("")]
    [InlineData(" , ")]
    public void A_malformed_value_is_no_condition(string value) => Assert.Null(IfNoneMatch.Parse(value));

    [Fact]
    public void The_list_is_bounded()
    {
        var tags = string.Join(", ", Enumerable.Range(0, IfNoneMatch.MaxTags).Select(i => $"\"t{i}\""));
        Assert.Equal(IfNoneMatch.MaxTags, IfNoneMatch.Parse(tags)!.Tags.Count);
        Assert.Null(IfNoneMatch.Parse(tags + ", \"one-more\""));
    }
}

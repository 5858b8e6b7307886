using Portico.Validation;

namespace Portico.Core.Tests.Validation;

public sealed class ConditionalTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 4, 12, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Modified = new(2026, 11, 1, 10, 0, 0, TimeSpan.Zero);
    private static readonly EntityTag Tag = new("5d8-5e1f", false);

    [Theory]
    [InlineData("\"5d8-5e1f\"", null, ConditionalResult.NotModified)]
    [InlineData("W/\"5d8-5e1f\"", null, ConditionalResult.NotModified)]
    [InlineData("\"old\"", null, ConditionalResult.Proceed)]
    [InlineData("*", null, ConditionalResult.NotModified)]
    [InlineData(null, "Sun, 01 Nov 2026 10:00:00 GMT", ConditionalResult.NotModified)]
    [InlineData(null, "Mon, 02 Nov 2026 10:00:00 GMT", ConditionalResult.NotModified)]
    [InlineData(null, "Sat, 31 Oct 2026 10:00:00 GMT", ConditionalResult.Proceed)]
    [InlineData(null, "not a date", ConditionalResult.Proceed)]
    [InlineData(null, null, ConditionalResult.Proceed)]

    // If-None-Match decides, If-Modified-Since is then ignored (RFC 9110 section 13.2.2), a malformed one too.
    [InlineData("\"old\"", "Mon, 02 Nov 2026 10:00:00 GMT", ConditionalResult.Proceed)]
    [InlineData("\"5d8-5e1f\"", "Sat, 31 Oct 2026 10:00:00 GMT", ConditionalResult.NotModified)]
    [InlineData("garbage", "Mon, 02 Nov 2026 10:00:00 GMT", ConditionalResult.Proceed)]
    public void Conditions_are_evaluated_in_the_rfc_order(string? ifNoneMatch, string? ifModifiedSince, ConditionalResult expected) =>
        Assert.Equal(expected, Conditional.Evaluate(ifNoneMatch, ifModifiedSince, Tag, Modified, Now));

    [Fact]
    public void A_date_cannot_be_compared_without_last_modified() =>
        Assert.Equal(ConditionalResult.Proceed, Conditional.Evaluate(null, "Mon, 02 Nov 2026 10:00:00 GMT", Tag, null, Now));

    [Fact]
    public void A_tag_cannot_match_a_representation_without_one() =>
        Assert.Equal(ConditionalResult.Proceed, Conditional.Evaluate("\"5d8-5e1f\"", null, null, Modified, Now));
}

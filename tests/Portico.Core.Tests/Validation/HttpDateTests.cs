using Portico.Validation;

namespace Portico.Core.Tests.Validation;

public sealed class HttpDateTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 4, 12, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Example = new(1994, 11, 6, 8, 49, 37, TimeSpan.Zero);

    // The three forms of RFC 9110 section 5.6.7, its own example.
    [Theory]
    [InlineData("Sun, 06 Nov 1994 08:49:37 GMT")]
    [InlineData("Sunday, 06-Nov-94 08:49:37 GMT")]
    [InlineData("Sun Nov  6 08:49:37 1994")]
    [InlineData(" Sun, 06 Nov 1994 08:49:37 GMT ")]
    public void The_three_forms_parse(string text)
    {
        Assert.True(HttpDate.TryParse(text, Now, out var value));
        Assert.Equal(Example, value);
    }

    [Theory]
    [InlineData("Sun, 06 Nov 1994 08:49:37 UTC")]
    [InlineData("sun, 06 Nov 1994 08:49:37 GMT")]
    [InlineData("Sun, 6 Nov 1994 08:49:37 GMT")]
    [InlineData("Sun, 06 nov 1994 08:49:37 GMT")]
    [InlineData("Mon, 06 Nov 1994 08:49:37 GMT")]
    [InlineData("Sun, 31 Nov 1994 08:49:37 GMT")]
    [InlineData("Sun, 06 Nov 1994 24:00:00 GMT")]
    [InlineData("Sun, 06 Nov 1994 08:60:37 GMT")]
    [InlineData("Sun, 06 Nov 1994 08:49:37 +0000")]
    [InlineData("Sun, 06-Nov-94 08:49:37 GMT")]
    [InlineData("Sunday, 06 Nov 1994 08:49:37 GMT")]
    [InlineData("Sun Nov 6 08:49:37 1994")]
    [InlineData("1994-11-06T08:49:37Z")]
    [InlineData("784111777")]
    [InlineData("")]
    public void Anything_else_is_not_a_date(string text) => Assert.False(HttpDate.TryParse(text, Now, out _));

    [Fact]
    public void A_two_digit_year_more_than_fifty_years_ahead_is_in_the_past()
    {
        Assert.True(HttpDate.TryParse("Tuesday, 01-Jan-80 00:00:00 GMT", Now, out var eighty));
        Assert.Equal(1980, eighty.Year);
        Assert.True(HttpDate.TryParse("Tuesday, 01-Jan-75 00:00:00 GMT", new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero), out var seventyFive));
        Assert.Equal(2075, seventyFive.Year);
    }

    [Fact]
    public void Dates_are_written_as_imf_fixdate() => Assert.Equal("Sun, 06 Nov 1994 08:49:37 GMT", HttpDate.Format(Example.ToOffset(TimeSpan.FromHours(9))));
}

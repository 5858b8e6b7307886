using Portico.CommandLanguage;

namespace Portico.Core.Tests.CommandLanguage;

public class TokenizerTests
{
    [Fact]
    public void Splits_on_blanks_and_records_columns()
    {
        var t = Tokenizer.Split("add  lb vserver", 1);
        Assert.Equal(["add", "lb", "vserver"], t.Select(x => x.Text));
        Assert.Equal([1, 6, 9], t.Select(x => x.Column));
    }

    [Fact]
    public void Quotes_group_blanks_and_backslash_escapes_quotes_as_ns_conf_writes_them()
    {
        var t = Tokenizer.Split("add cs policy p -rule \"HTTP.REQ.HEADER(\\\"a b\\\")\" -comment 'x y'", 1);
        Assert.Equal("HTTP.REQ.HEADER(\"a b\")", t[5].Text);
        Assert.True(t[5].Quoted);
        Assert.Equal("x y", t[7].Text);
    }

    [Fact]
    public void Hash_starts_a_comment_outside_quotes_only()
    {
        Assert.Empty(Tokenizer.Split("   # just a comment", 1));
        var t = Tokenizer.Split("set x -comment \"a # b\" # trailing", 1);
        Assert.Equal(["set", "x", "-comment", "a # b"], t.Select(x => x.Text));
    }

    [Fact]
    public void An_unclosed_quote_is_an_error_at_the_quote()
    {
        var e = Assert.Throws<ConfigErrorException>(() => Tokenizer.Split("add server s1 \"10.0.0.1", 7)).Error;
        Assert.Equal(7, e.Line);
        Assert.Equal(15, e.Column);
        Assert.Contains("never closed", e.Message);
    }

    [Fact]
    public void A_quote_glued_to_the_next_word_is_an_error()
    {
        var e = Assert.Throws<ConfigErrorException>(() => Tokenizer.Split("set x -comment \"a\"b", 1)).Error;
        Assert.Contains("followed by a blank", e.Message);
    }

    [Fact]
    public void Quoted_words_that_look_like_options_are_values()
    {
        var t = Tokenizer.Split("set x -comment \"-lbMethod\"", 1);
        Assert.False(t[3].IsOption);
        Assert.True(t[2].IsOption);
        Assert.False(new Token("-1", 1, false).IsOption);
    }

    [Theory]
    [InlineData("\"Host: x\\r\\n\"", "Host: x\r\n")]
    [InlineData("\"a\\tb\"", "a\tb")]
    [InlineData("\"say \\\"hi\\\"\"", "say \"hi\"")]
    [InlineData("\"back\\\\slash\"", "back\\slash")]
    [InlineData("\".*/.*\\\\+xml\"", ".*/.*\\+xml")]
    [InlineData("\"keeps \\d as written\"", "keeps \\d as written")]
    public void Double_quotes_read_NetScaler_escapes(string word, string expected)
    {
        var t = Tokenizer.Split("set x -comment " + word, 1);
        Assert.Equal(expected, t[3].Text);
        Assert.True(t[3].Quoted);
    }

    [Theory]
    [InlineData("q{HTTP.REQ.HEADER(\"a\").EQ(\"b c\")}", "HTTP.REQ.HEADER(\"a\").EQ(\"b c\")")]
    [InlineData("q|a \\r b|", "a \\r b")]
    [InlineData("q/x\"y/", "x\"y")]
    [InlineData("q[1 2]", "1 2")]
    [InlineData("q(1)", "1")]
    [InlineData("q<a>", "a")]
    [InlineData("q~a b~", "a b")]
    public void Q_literals_run_unescaped_to_their_delimiter(string word, string expected)
    {
        var t = Tokenizer.Split("add responder policy p " + word + " NOOP", 1);
        Assert.Equal(expected, t[4].Text);
        Assert.True(t[4].Quoted);
        Assert.Equal("NOOP", t[5].Text);
    }

    [Fact]
    public void A_name_beginning_with_q_is_a_name()
    {
        var t = Tokenizer.Split("add server q_web1 10.0.0.1", 1);
        Assert.Equal(["add", "server", "q_web1", "10.0.0.1"], t.Select(x => x.Text));
    }

    [Fact]
    public void An_unclosed_literal_is_an_error_at_the_literal()
    {
        var e = Assert.Throws<ConfigErrorException>(() => Tokenizer.Split("add x q{abc", 3)).Error;
        Assert.Equal(7, e.Column);
        Assert.Contains("never closed", e.Message);
    }

    [Theory]
    [InlineData("Host: x\r\n")]
    [InlineData("a \"quoted\" \\ value\twith tab")]
    [InlineData("q{not a literal")]
    [InlineData("-looks like an option")]
    [InlineData(".*/.*\\+xml")]
    public void Quote_and_split_round_trip(string value)
    {
        var t = Tokenizer.Split("set x -comment " + ConfigText.Quote(value), 1);
        Assert.Equal(4, t.Count);
        Assert.Equal(value, t[3].Text);
    }

    [Fact]
    public void Long_lines_have_no_limit()
    {
        var value = new string('a', 100_000);
        var t = Tokenizer.Split($"set x -comment \"{value}\" -other 1", 1);
        Assert.Equal(value, t[3].Text);
        Assert.Equal("1", t[5].Text);
    }
}

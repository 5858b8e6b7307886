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
}

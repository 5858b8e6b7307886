using Portico.Policies.Expressions;

namespace Portico.Core.Tests.Policies.Expressions;

/// <summary>Every way a rule can be wrong, with the column and the words the operator reads.</summary>
public class ExpressionErrorTests
{
    private static ExpressionException Wrong(string rule) =>
        Assert.Throws<ExpressionException>(() => ExpressionCompiler.CompileRule(rule, ExpressionContext.Empty));

    [Theory]
    [InlineData("", 1, "the expression is empty")]
    [InlineData("HTTP.REQ.URL.EQ(\"/\"", 20, "expected ')' after the argument of HTTP.REQ.URL.EQ")]
    [InlineData("HTTP.REQ.URL.EQ \"/\"", 17, "unexpected text \"/\": expected '(' and the argument of HTTP.REQ.URL.EQ")]
    [InlineData("HTTP.REQ.URL.EQ(\"/\") \"x\"", 22, "unexpected text \"x\": expected '&&', '||', '+', '.' or the end")]
    [InlineData("HTTP.REQ.URLX.EQ(\"/\")", 10, "unknown 'URLX' after HTTP.REQ: expected one of URL, HOSTNAME, METHOD, HEADER, COOKIE, IS_VALID")]
    [InlineData("HTTP.REQ", 9, "HTTP.REQ is not a value: expected '.' and one of URL")]
    [InlineData("HTTP.REQ.URL.FOO", 14, "unknown function 'FOO' of HTTP.REQ.URL (text): expected one of EQ, NE")]
    [InlineData("HTTP.REQ.URL.EQ(\"/\") && HTTP.REQ.URL", 25, "right of '&&': expected a boolean, found HTTP.REQ.URL (text)")]
    [InlineData("HTTP.REQ.URL", 1, "a rule must be a boolean expression; 'HTTP.REQ.URL' is text")]
    [InlineData("HTTP.REQ.URL.EQ(1)", 17, "the argument of HTTP.REQ.URL.EQ must be text, found a number")]
    [InlineData("HTTP.REQ.URL.LENGTH.GT(\"3\")", 24, "the argument of HTTP.REQ.URL.LENGTH.GT must be a number, found text")]
    [InlineData("HTTP.REQ.URL.EQ(\"/) ", 17, "the text literal is not closed")]
    [InlineData("HTTP.REQ.URL.REGEX_MATCH(re/[a-/)", 26, "the regex is not valid")]
    [InlineData("HTTP.REQ.URL.REGEX_MATCH(\"x\")", 26, "expected a regex such as re/pattern/")]
    [InlineData("CLIENT.IP.SRC.IN_SUBNET(10.0.0.1/8)", 25, "'10.0.0.1/8' is not a subnet")]
    [InlineData("CLIENT.IP.SRC.EQ(10.0.0.300)", 18, "'10.0.0.300' is not an IP address")]
    [InlineData("HTTP.REQ.URL.CONTAINS_ANY(\"nosuch\")", 27, "no policy patset 'nosuch'")]
    [InlineData("CLIENT.IP.SRC.MATCHES_LOCATION(\"Europe.GB\")", 32, "MATCHES_LOCATION needs a location database")]
    [InlineData("TRUE & FALSE", 6, "'&' alone: expected '&&'")]
    [InlineData("HTTP.REQ.URL.EQ(\"/\") + TRUE", 22, "'+' joins texts or adds numbers; here it has a boolean and a boolean")]
    [InlineData("HTTP.REQ.URL + TRUE", 14, "'+' joins texts or adds numbers; here it has text and a boolean")]
    [InlineData("(TRUE", 6, "expected ')' to close the '(' at column 1")]
    [InlineData("TRUE.EQ(1)", 6, "unknown function 'EQ' of TRUE (a boolean)")]
    [InlineData("whatever", 1, "unknown name 'whatever': expected HTTP, CLIENT, SYS, TRUE, FALSE or a named expression")]
    [InlineData("HTTP.REQ.URL.SET_TEXT_MODE(LOUD).EQ(\"x\")", 28, "'LOUD': expected IGNORECASE or NOIGNORECASE")]
    [InlineData("HTTP.REQ.URL.LENGTH.GT(99999999999999999999)", 24, "the number 99999999999999999999 is too large")]
    [InlineData("HTTP.REQ.HEADER(Host).EXISTS", 17, "expected the field's name as a quoted text")]
    [InlineData("HTTP.REQ.URL.EQ(\"/\") $", 22, "unexpected character '$'")]
    public void Errors_name_the_column_and_what_was_expected(string rule, int column, string message)
    {
        var e = Wrong(rule);
        Assert.Equal(column, e.Column);
        Assert.Contains(message, e.Message);
        Assert.StartsWith($"expression column {column}: ", e.Located);
    }

    [Theory]
    [InlineData("HTTP.REQ.BODY(100).CONTAINS(\"x\")", "HTTP.REQ.BODY")]
    [InlineData("HTTP.REQ.URL.SUFFIX('.', 0).EQ(\"js\")", "HTTP.REQ.URL.SUFFIX")]
    [InlineData("HTTP.REQ.URL.PATH.GET(1).EQ(\"api\")", "HTTP.REQ.URL.PATH.GET")]
    [InlineData("CLIENT.SSL.CLIENT_CERT.EXISTS", "CLIENT.SSL.CLIENT_CERT")]
    [InlineData("HTTP.REQ.URL.SET_TEXT_MODE(URLENCODED).EQ(\"x\")", "HTTP.REQ.URL.SET_TEXT_MODE(URLENCODED)")]
    [InlineData("DNS.REQ.QUESTION.DOMAIN.EQ(\"x\")", "DNS")]
    [InlineData("CLIENT.IP.SRC.LENGTH", "CLIENT.IP.SRC.LENGTH")]
    public void A_NetScaler_function_Portico_lacks_is_unsupported_by_name(string rule, string function)
    {
        var e = Assert.Throws<UnsupportedExpressionException>(() => ExpressionCompiler.CompileRule(rule, ExpressionContext.Empty));
        Assert.Equal(function, e.Function);
        Assert.Equal($"unsupported: {function}", e.Message);
    }

    [Fact]
    public void Too_long_an_expression_is_refused_before_it_is_read()
    {
        var e = Wrong("TRUE || " + string.Concat(Enumerable.Repeat("TRUE || ", 1100)) + "TRUE");
        Assert.Contains("at most 8191 are allowed", e.Message);
    }

    [Fact]
    public void Deep_nesting_is_refused_not_a_stack_overflow()
    {
        var e = Wrong(new string('(', 300) + "TRUE" + new string(')', 300));
        Assert.Contains("nested deeper than", e.Message);
    }
}

/// <summary>Mutated rules fail only with located errors, never with another exception.</summary>
public class ExpressionFuzzTests
{
    private static readonly string[] Seeds =
    [
        "HTTP.REQ.HOSTNAME.EQ(\"www.example.com\") && !CLIENT.IP.SRC.IN_SUBNET(10.0.0.0/8)",
        "HTTP.REQ.URL.PATH.SET_TEXT_MODE(IGNORECASE).REGEX_MATCH(re#^/v[0-9]+/#) || HTTP.REQ.METHOD.EQ(POST)",
        "\"https://\" + HTTP.REQ.HOSTNAME + HTTP.REQ.URL.AFTER_STR(q{?}).TO_LOWER",
        "HTTP.REQ.HEADER(\"X-Age\").TYPECAST_NUM_T.BETWEEN(1, 99) && SYS.TIME.HOURS.LT(6)",
    ];

    [Fact]
    public void Mutations_fail_with_a_column_or_compile()
    {
        var random = new Random(17);
        const string alphabet = "().,!&|+\"'qre/#{}0123456789 HTTPREQURLEQ_";
        for (var i = 0; i < 20_000; i++)
        {
            var chars = Seeds[i % Seeds.Length].ToCharArray().ToList();
            for (var m = random.Next(1, 4); m > 0; m--)
            {
                var at = random.Next(chars.Count);
                switch (random.Next(3))
                {
                    case 0: chars.RemoveAt(at); break;
                    case 1: chars.Insert(at, alphabet[random.Next(alphabet.Length)]); break;
                    default: chars[at] = alphabet[random.Next(alphabet.Length)]; break;
                }
            }

            var text = new string([.. chars]);
            try
            {
                ExpressionCompiler.Compile(text, ExpressionContext.Empty);
            }
            catch (ExpressionException e)
            {
                Assert.InRange(e.Column, 1, text.Length + 1);
            }
            catch (UnsupportedExpressionException)
            {
            }
        }
    }
}

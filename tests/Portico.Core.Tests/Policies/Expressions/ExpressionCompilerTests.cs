using System.Net;
using Microsoft.Extensions.Time.Testing;
using Portico.Policies.Expressions;

namespace Portico.Core.Tests.Policies.Expressions;

/// <summary>NetScaler's documented expression examples, each with a request that matches and one that does not.</summary>
public class ExpressionCompilerTests
{
    private static readonly ExpressionContext Context = new()
    {
        Patsets = new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase)
        {
            ["images"] = [".gif", ".jpg", ".png"],
            ["admins"] = ["/admin", "/wp-admin"],
        },
    };

    private static bool Rule(string rule, RequestView request) => ExpressionCompiler.CompileRule(rule, Context).Matches(request);

    private static string Text(string expression, RequestView request) => ExpressionCompiler.Compile(expression, Context).Text(request);

    [Theory]
    [InlineData("HTTP.REQ.HOSTNAME.EQ(\"www.example.com\")", "www.example.com", "api.example.com")]
    [InlineData("HTTP.REQ.HOSTNAME.EQ(\"WWW.example.COM\")", "www.Example.com", "example.com")]
    [InlineData("HTTP.REQ.HOSTNAME.ENDSWITH(\".example.com\")", "shop.example.com", "example.org")]
    [InlineData("HTTP.REQ.HOSTNAME.CONTAINS(\"shop\")", "shop.example.com", "www.example.com")]
    public void Host_rules(string rule, string matching, string other)
    {
        Assert.True(Rule(rule, new RequestView(Host: matching)));
        Assert.False(Rule(rule, new RequestView(Host: other)));
    }

    [Theory]
    [InlineData("HTTP.REQ.URL.STARTSWITH(\"/api/\")", "/api/v1/users", "/web/api/")]
    [InlineData("HTTP.REQ.URL.PATH.ENDSWITH(\".jpg\")", "/img/a.jpg?w=10", "/img/a.jpg.html")]
    [InlineData("HTTP.REQ.URL.QUERY.CONTAINS(\"debug=1\")", "/x?a=2&debug=1", "/debug=1")]
    [InlineData("HTTP.REQ.URL.SET_TEXT_MODE(IGNORECASE).STARTSWITH(\"/ADMIN\")", "/Admin/users", "/public")]
    [InlineData("HTTP.REQ.URL.TO_LOWER.CONTAINS(\"/login\")", "/LOGIN.php", "/logout")]
    [InlineData("HTTP.REQ.URL.REGEX_MATCH(re#^/v[0-9]+/#)", "/v2/items", "/vx/items")]
    [InlineData("HTTP.REQ.URL.PATH.CONTAINS_ANY(\"images\")", "/a/b.png", "/a/b.txt")]
    [InlineData("HTTP.REQ.URL.PATH.STARTSWITH_ANY(\"admins\")", "/wp-admin/x", "/blog")]
    [InlineData("HTTP.REQ.URL.PATH.EQUALS_ANY(\"admins\")", "/admin", "/admin/x")]
    [InlineData("HTTP.REQ.URL.LENGTH.GT(10)", "/0123456789a", "/short")]
    [InlineData("HTTP.REQ.URL.AFTER_STR(\"id=\").TYPECAST_NUM_T.BETWEEN(100,199)", "/x?id=150", "/x?id=250")]
    [InlineData("HTTP.REQ.URL.BEFORE_STR(\"?\").EQ(\"/search\")", "/search?q=1", "/search")]
    public void Url_rules(string rule, string matching, string other)
    {
        Assert.True(Rule(rule, new RequestView(Target: matching)));
        Assert.False(Rule(rule, new RequestView(Target: other)));
    }

    [Theory]
    [InlineData("HTTP.REQ.METHOD.EQ(POST)")]
    [InlineData("HTTP.REQ.METHOD.EQ(\"POST\")")]
    [InlineData("http.req.method.eq(POST)")]
    public void Method_rules_take_bare_words(string rule)
    {
        Assert.True(Rule(rule, new RequestView(Method: "POST")));
        Assert.False(Rule(rule, new RequestView(Method: "GET")));
    }

    [Fact]
    public void Headers_and_cookies_exist_or_read_as_empty_text()
    {
        var with = new RequestView { Headers = { ["X-Forwarded-Proto"] = "https", ["Cookie"] = "a=1; session=abc" } };
        var without = new RequestView();
        Assert.True(Rule("HTTP.REQ.HEADER(\"X-Forwarded-Proto\").EQ(\"https\")", with));
        Assert.False(Rule("HTTP.REQ.HEADER(\"X-Forwarded-Proto\").EQ(\"https\")", without));
        Assert.True(Rule("HTTP.REQ.HEADER(\"x-forwarded-proto\").EXISTS", with));
        Assert.False(Rule("HTTP.REQ.HEADER(\"x-forwarded-proto\").EXISTS", without));
        Assert.True(Rule("HTTP.REQ.HEADER(\"X-None\").EQ(\"\")", without));
        Assert.True(Rule("HTTP.REQ.COOKIE.VALUE(\"session\").EQ(\"abc\")", with));
        Assert.False(Rule("HTTP.REQ.COOKIE.VALUE(\"session\").EXISTS", without));
        Assert.Equal("", Text("HTTP.REQ.COOKIE.VALUE(\"session\")", without));
    }

    [Fact]
    public void Client_address_rules()
    {
        var inside = new RequestView { ClientIp = IPAddress.Parse("10.1.2.3") };
        var mapped = new RequestView { ClientIp = IPAddress.Parse("::ffff:10.1.2.3") };
        var outside = new RequestView { ClientIp = IPAddress.Parse("192.0.2.1") };
        Assert.True(Rule("CLIENT.IP.SRC.IN_SUBNET(10.0.0.0/8)", inside));
        Assert.True(Rule("CLIENT.IP.SRC.IN_SUBNET(10.0.0.0/8)", mapped));
        Assert.False(Rule("CLIENT.IP.SRC.IN_SUBNET(10.0.0.0/8)", outside));
        Assert.True(Rule("CLIENT.IP.SRC.EQ(10.1.2.3)", mapped));
        Assert.False(Rule("CLIENT.IP.SRC.EQ(10.1.2.3)", outside));
        Assert.True(Rule("CLIENT.IP.SRC.NE(10.1.2.3)", outside));
        Assert.True(Rule("CLIENT.IP.SRC.IN_SUBNET(2001:db8::/32)", new RequestView { ClientIp = IPAddress.Parse("2001:db8::7") }));
        Assert.Equal("10.1.2.3", Text("CLIENT.IP.SRC", mapped));
    }

    [Fact]
    public void Locations_match_qualifier_by_qualifier()
    {
        var context = new ExpressionContext
        {
            Locate = a => a.Equals(IPAddress.Parse("81.2.69.142")) ? ["Europe", "GB", "England", "London"] : [],
        };
        var london = new RequestView { ClientIp = IPAddress.Parse("81.2.69.142") };
        var elsewhere = new RequestView { ClientIp = IPAddress.Parse("192.0.2.1") };
        foreach (var rule in new[] { "CLIENT.IP.SRC.MATCHES_LOCATION(\"Europe.GB.*\")", "CLIENT.IP.SRC.MATCHES_LOCATION(\"Europe.*.England\")", "CLIENT.IP.SRC.MATCHES_LOCATION(\"Europe\")" })
        {
            var compiled = ExpressionCompiler.CompileRule(rule, context);
            Assert.True(compiled.Matches(london), rule);
            Assert.False(compiled.Matches(elsewhere), rule);
        }

        Assert.False(ExpressionCompiler.CompileRule("CLIENT.IP.SRC.MATCHES_LOCATION(\"Europe.FR.*\")", context).Matches(london));
    }

    [Fact]
    public void Tls_validity_port_and_response_values()
    {
        Assert.True(Rule("CLIENT.SSL.IS_SSL", new RequestView { IsSsl = true }));
        Assert.True(Rule("!CLIENT.SSL.IS_SSL", new RequestView()));
        Assert.True(Rule("HTTP.REQ.IS_VALID", new RequestView()));
        Assert.False(Rule("HTTP.REQ.IS_VALID", new RequestView { IsValid = false }));
        Assert.True(Rule("CLIENT.TCP.DSTPORT.EQ(8080)", new RequestView { LocalPort = 8080 }));
        Assert.True(Rule("HTTP.RES.STATUS.EQ(404)", new RequestView { ResponseStatus = 404 }));
        Assert.False(Rule("HTTP.RES.STATUS.EQ(404)", new RequestView { ResponseStatus = 200 }));
        Assert.True(Rule("HTTP.RES.HEADER(\"Server\").CONTAINS(\"Apache\")", new RequestView { ResponseHeaders = { ["Server"] = "Apache/2.4" } }));
        Assert.True(ExpressionCompiler.CompileRule("HTTP.RES.STATUS.GE(500)", Context).ReadsResponse);
        Assert.False(ExpressionCompiler.CompileRule("HTTP.REQ.URL.EQ(\"/\")", Context).ReadsResponse);
    }

    [Fact]
    public void Time_rules_read_the_clock_given()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 6, 22, 30, 0, TimeSpan.Zero));
        var context = new ExpressionContext { Time = clock };
        var night = ExpressionCompiler.CompileRule("SYS.TIME.HOURS.GE(22) || SYS.TIME.HOURS.LT(6)", context);
        var sunday = ExpressionCompiler.CompileRule("SYS.TIME.WEEKDAY.EQ(0)", context);
        Assert.True(night.Matches(new RequestView()));
        Assert.True(sunday.Matches(new RequestView()));
        clock.Advance(TimeSpan.FromHours(12));
        Assert.False(night.Matches(new RequestView()));
        Assert.False(sunday.Matches(new RequestView()));
    }

    [Theory]
    [InlineData("TRUE", true)]
    [InlineData("FALSE", false)]
    [InlineData("TRUE && FALSE", false)]
    [InlineData("TRUE || FALSE", true)]
    [InlineData("!(TRUE && FALSE)", true)]
    [InlineData("FALSE || TRUE && FALSE", false)]
    [InlineData("(FALSE || TRUE) && TRUE", true)]
    [InlineData("!!TRUE", true)]
    public void Boolean_operators_and_precedence(string rule, bool expected) => Assert.Equal(expected, Rule(rule, new RequestView()));

    [Fact]
    public void Concatenation_builds_action_targets()
    {
        var request = new RequestView(Target: "/cart?x=1", Host: "shop.example.com");
        Assert.Equal("https://shop.example.com/cart?x=1", Text("\"https://\" + HTTP.REQ.HOSTNAME + HTTP.REQ.URL", request));
        Assert.Equal("https://shop.example.com/cart?x=1", Text("\"https://\" + HTTP.REQ.HOSTNAME + HTTP.REQ.URL.PATH_AND_QUERY", request));
        Assert.Equal("q{x}", Text("\"q{x}\"", request));
        Assert.Equal("say \"hi\"", Text("\"say \\\"hi\\\"\"", request));
        Assert.Equal("a\"b", Text("q{a\"b}", request));
        Assert.Equal("len 9", Text("\"len \" + HTTP.REQ.URL.LENGTH.TYPECAST_TEXT_T", request));
        Assert.Equal("12", Text("HTTP.REQ.URL.LENGTH + 3", request));
        Assert.Equal("ip=192.0.2.10 len=9", Text("\"ip=\" + CLIENT.IP.SRC + \" len=\" + HTTP.REQ.URL.LENGTH", request));
        Assert.Equal("/CART?X=1", Text("HTTP.REQ.URL.TO_UPPER", request));
        Assert.Equal("/cart", Text("HTTP.REQ.URL.REGEX_SELECT(re/^[^?]*/)", request));
        var odd = new RequestView(Target: "/a b\"<x>", Host: "h\r\nX: 1");
        Assert.Equal("https://h%0D%0AX:%201/rebirth", Text("\"https://\" + HTTP.REQ.HOSTNAME.HTTP_URL_SAFE + \"/rebirth\"", odd));
        Assert.Equal("/a%20b%22%3Cx%3E", Text("HTTP.REQ.URL.HTTP_URL_SAFE", odd));
        Assert.Equal("h%0D%0AX: 1", Text("HTTP.REQ.HOSTNAME.HTTP_HEADER_SAFE", odd));
    }

    [Fact]
    public void Comparisons_take_expressions_as_arguments()
    {
        var same = new RequestView { Headers = { ["A"] = "x", ["B"] = "x" } };
        var differ = new RequestView { Headers = { ["A"] = "x", ["B"] = "y" } };
        const string rule = "HTTP.REQ.HEADER(\"A\").EQ(HTTP.REQ.HEADER(\"B\"))";
        Assert.True(Rule(rule, same));
        Assert.False(Rule(rule, differ));
        Assert.True(Rule("HTTP.REQ.HEADER(\"A\").NE(HTTP.REQ.HEADER(\"B\"))", differ));
    }

    [Fact]
    public void Named_expressions_are_used_by_name()
    {
        var named = ExpressionCompiler.CompileRule("HTTP.REQ.URL.STARTSWITH(\"/api\")", Context);
        var context = new ExpressionContext
        {
            Named = new Dictionary<string, CompiledExpression>(StringComparer.OrdinalIgnoreCase) { ["is_api"] = named },
        };
        var rule = ExpressionCompiler.CompileRule("is_api && HTTP.REQ.METHOD.EQ(GET)", context);
        Assert.True(rule.Matches(new RequestView(Target: "/api/x")));
        Assert.False(rule.Matches(new RequestView(Target: "/web")));
    }

    [Fact]
    public void A_number_that_is_not_one_is_undefined_not_false()
    {
        var rule = ExpressionCompiler.CompileRule("HTTP.REQ.HEADER(\"X-Age\").TYPECAST_NUM_T.GT(18)", Context);
        Assert.True(rule.Matches(new RequestView { Headers = { ["X-Age"] = "30" } }));
        Assert.False(rule.Matches(new RequestView { Headers = { ["X-Age"] = "3" } }));
        Assert.Throws<UndefinedValueException>(() => rule.Matches(new RequestView { Headers = { ["X-Age"] = "old" } }));
    }

    [Fact]
    public void A_backtracking_regex_is_allowed_with_a_time_limit()
    {
        // A backreference cannot run on the linear engine; it still compiles and works.
        var rule = ExpressionCompiler.CompileRule("HTTP.REQ.URL.REGEX_MATCH(re/(ab)\\1/)", Context);
        Assert.True(rule.Matches(new RequestView(Target: "/abab")));
        Assert.False(rule.Matches(new RequestView(Target: "/ab")));
    }
}

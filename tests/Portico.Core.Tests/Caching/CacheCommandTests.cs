using Portico.Caching;
using Portico.Configuration;
using static Portico.Core.Tests.CommandLanguage.Language;

namespace Portico.Core.Tests.Caching;

/// <summary>The cache's commands: what they accept, the errors they give (line, word, reason), and save config.</summary>
public sealed class CacheCommandTests
{
    [Fact]
    public void A_whole_cache_config_reads_back_from_its_saved_lines()
    {
        var config = Build("""
            enable ns feature IC
            set cache parameter -memLimit 512 -via edge1
            add cache contentGroup static -relExpiry 3600 -maxResSize 1024 -hitParams id lang -flashCache YES -removeCookies YES -insertVia YES
            set cache contentGroup DEFAULT -ignoreReqCachingHdrs YES
            add cache policy cache_static -rule "HTTP.REQ.URL.PATH.ENDSWITH(\".css\")" -action CACHE -storeInGroup static
            add cache policy purge -rule "HTTP.REQ.METHOD.EQ(\"PURGE\")" -action INVAL -invalGroups static -invalObjects DEFAULT
            add lb vserver web HTTP 10.0.0.1 80
            bind cache global cache_static -priority 10 -type REQ_OVERRIDE
            bind lb vserver web -policyName purge -priority 5 -type REQUEST
            """);
        var written = ConfigWriter.Write(config, DateTimeOffset.UnixEpoch);
        Assert.Contains("set cache parameter -memLimit 512 -via edge1", written);
        Assert.Contains("add cache contentGroup static -relExpiry 3600 -maxResSize 1024 -insertVia YES -hitParams id lang -flashCache YES -removeCookies YES", written);
        Assert.Contains("add cache contentGroup DEFAULT -ignoreReqCachingHdrs YES", written);
        Assert.Contains("add cache policy purge -rule \"HTTP.REQ.METHOD.EQ(\\\"PURGE\\\")\" -action INVAL -invalGroups static -invalObjects DEFAULT", written);
        Assert.Contains("bind cache global cache_static -priority 10 -type REQ_OVERRIDE", written);
        Assert.Contains("bind lb vserver web -policyName purge -priority 5 -type REQUEST", written);
        Assert.Equal(written, ConfigWriter.Write(Build(written), DateTimeOffset.UnixEpoch));
        Assert.Equal(["DEFAULT", "BASEFILE", "DELTAJS", "NSFEO", "static"], config.AllCacheGroups.Select(g => g.Name));
    }

    [Theory]
    [InlineData("add cache policy p -rule TRUE -action INVAL", 1, "INVAL", "an INVAL policy needs -invalGroups or -invalObjects")]
    [InlineData("add cache policy p -rule TRUE -action NOCACHE -storeInGroup DEFAULT", 1, "DEFAULT", "-storeInGroup belongs to a CACHE or MAY_CACHE policy")]
    [InlineData("add cache policy p -rule TRUE -action CACHE -storeInGroup nosuch", 1, "nosuch", "no cache contentGroup named 'nosuch'")]
    [InlineData("add cache policy p -action CACHE", 1, "add", "a cache policy needs -rule EXPRESSION")]
    [InlineData("add cache policy p -rule \"HTTP.REQ.NOSUCH\" -action CACHE", 1, "HTTP.REQ.NOSUCH", "NOSUCH")]
    [InlineData("add cache policy p -rule TRUE -action KEEP", 1, "KEEP", "expected one of CACHE, NOCACHE, MAY_CACHE, MAY_NOCACHE, INVAL")]
    [InlineData("rm cache contentGroup DEFAULT", 1, "DEFAULT", "built-in content group; it cannot be removed")]
    [InlineData("add cache contentGroup DEFAULT\nadd cache contentGroup DEFAULT", 2, "DEFAULT", "built-in content group 'DEFAULT' is already added")]
    [InlineData("add cache policy p -rule \"HTTP.RES.STATUS.EQ(200)\" -action CACHE\nbind cache global p -priority 1", 2, "p", "'p' reads the response: bind it as RES_OVERRIDE or RES_DEFAULT")]
    [InlineData("add cache contentGroup g -minResSize 100 -maxResSize 10", 1, "100", "-minResSize 100 is larger than -maxResSize 10")]
    [InlineData("set cache contentGroup nosuch -relExpiry 5", 1, "nosuch", "no cache contentGroup named 'nosuch'")]
    [InlineData("add cache policy p -rule TRUE -action CACHE\nbind cache global p -priority 1 -type REQUEST", 2, "REQUEST", "expected REQ_OVERRIDE, REQ_DEFAULT, RES_OVERRIDE, RES_DEFAULT")]
    [InlineData("add cache policy p -rule TRUE -action CACHE\nbind responder global p 10", 2, "p", "'p' is a cache policy: bind it with bind cache global")]
    [InlineData("add cache policy p -rule TRUE -action INVAL -invalGroups DEFAULT\nbind cache global p -priority 1 -type RES_DEFAULT", 2, "p", "bind it on the request")]
    [InlineData("set cache parameter -memLimit 0", 1, "0", "expected a whole number from 1 to 1048576")]
    public void A_bad_line_is_refused_naming_its_word_and_nothing_applies(string text, int line, string word, string message)
    {
        var plan = Plan(text);
        Assert.Null(plan.Next);
        var e = Assert.Single(plan.Errors);
        Assert.Equal(line, e.Line);
        Assert.Contains(word, e.Word ?? e.Message);
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void A_group_a_policy_uses_and_a_bound_policy_are_not_removed()
    {
        var config = Build("""
            add cache contentGroup g
            add cache policy p -rule TRUE -action CACHE -storeInGroup g
            bind cache global p -priority 1
            """);
        var plan = Store.Plan(config, "rm cache contentGroup g\nrm cache policy p", "test");
        Assert.Contains("'g' is used by cache policy 'p'", plan.Errors[0].Message);
        Assert.Contains("'p' is bound to cache global; unbind it first", plan.Errors[1].Message);
    }
}

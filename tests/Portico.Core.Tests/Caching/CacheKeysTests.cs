using Portico.Caching;

namespace Portico.Core.Tests.Caching;

/// <summary>An object's key: host without case, the whole URL, or only the group's hit parameters.</summary>
public sealed class CacheKeysTests
{
    private static string? Key(string host, string url, CacheContentGroup? g = null) =>
        CacheKeys.Of("G", System.Text.Encoding.ASCII.GetBytes(host), System.Text.Encoding.ASCII.GetBytes(url), new CacheGroupSettings(g ?? new CacheContentGroup("G"), CacheParameters.Default));

    [Fact]
    public void The_host_has_no_case_the_path_and_query_do()
    {
        Assert.Equal(Key("www.example.com", "/a?x=1"), Key("WWW.Example.COM", "/a?x=1"));
        Assert.NotEqual(Key("h", "/a?x=1"), Key("h", "/A?x=1"));
        Assert.NotEqual(Key("h", "/a?x=1"), Key("h", "/a?x=2"));
        Assert.Equal("G\nh\n/", Key("h", ""));
    }

    [Fact]
    public void Hit_params_keep_only_the_named_parameters_in_the_groups_order()
    {
        var g = new CacheContentGroup("G") { HitParams = ["id", "lang"] };
        Assert.Equal(Key("h", "/p?lang=en&session=1&id=7", g), Key("h", "/p?id=7&lang=en&session=2", g));
        Assert.NotEqual(Key("h", "/p?id=7", g), Key("h", "/p?id=8", g));
        Assert.NotEqual(Key("h", "/p?id=A", g), Key("h", "/p?id=a", g));
        var nocase = g with { IgnoreParamValueCase = true };
        Assert.Equal(Key("h", "/p?id=A", nocase), Key("h", "/p?id=a", nocase));
    }

    [Fact]
    public void A_url_too_long_for_a_key_is_not_cached()
    {
        Assert.Null(Key("h", "/" + new string('a', CacheKeys.MaxLength)));
    }
}

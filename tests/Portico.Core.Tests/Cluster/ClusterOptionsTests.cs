using Portico.Cluster;

namespace Portico.Core.Tests.Cluster;

/// <summary><c>--cluster etcd://HOST:PORT[,HOST:PORT...]/PREFIX</c>, read strictly, with the key layout under the prefix.</summary>
public class ClusterOptionsTests
{
    [Fact]
    public void Members_and_prefix_are_read_and_the_keys_live_under_the_prefix()
    {
        var o = ClusterOptions.Parse("etcd://127.0.0.1:2379,10.0.0.2:2379/prod/lb", "node-a");
        Assert.Equal(["http://127.0.0.1:2379/", "http://10.0.0.2:2379/"], o.Endpoints.Select(e => e.ToString()));
        Assert.Equal("/prod/lb/config", o.ConfigKey);
        Assert.Equal("/prod/lb/blocks/", o.BlocksPrefix);
        Assert.Equal("/prod/lb/nodes/", o.NodesPrefix);
        Assert.Equal("node-a", o.NodeName);
        Assert.Equal("etcd://127.0.0.1:2379,10.0.0.2:2379/prod/lb", o.ToString());
    }

    [Theory]
    [InlineData("http://127.0.0.1:2379/p", "expected etcd://HOST:PORT[,HOST:PORT...]/PREFIX")]
    [InlineData("etcd://127.0.0.1:2379", "expected a key prefix after the members")]
    [InlineData("etcd://127.0.0.1:2379/", "expected a key prefix after the members")]
    [InlineData("etcd://127.0.0.1/p", "member '127.0.0.1' is not HOST:PORT")]
    [InlineData("etcd://127.0.0.1:99999/p", "member '127.0.0.1:99999' is not HOST:PORT")]
    public void A_bad_value_is_refused_naming_the_part(string value, string expected)
    {
        var e = Assert.Throws<FormatException>(() => ClusterOptions.Parse(value));
        Assert.Contains(expected, e.Message);
        Assert.Contains(value, e.Message);
    }
}

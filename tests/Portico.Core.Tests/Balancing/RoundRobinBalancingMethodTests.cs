using Portico.Balancing;

namespace Portico.Core.Tests.Balancing;

public class RoundRobinBalancingMethodTests
{
    [Fact]
    public void Smooth_round_robin_interleaves_heavy_members()
    {
        Assert.Equal([0, 1, 0, 2, 0], RoundRobinBalancingMethod.SmoothOrder([3, 1, 1]));
    }
}

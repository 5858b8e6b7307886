using Portico.Http.Proxying;

namespace Portico.Core.Tests.Http;

/// <summary>Input blocks are kept and reused rather than left to the collector (what keeps idle memory flat after a busy moment).</summary>
public class BlockPoolTests
{
    [Fact]
    public void A_returned_block_is_the_next_one_rented_and_other_sizes_are_not_kept()
    {
        var pool = new BlockPool();
        var block = pool.Rent();
        Assert.Equal(BlockPool.BlockSize, block.Length);
        pool.Return(block);
        pool.Return(new byte[100]);
        Assert.Equal(1, pool.Free);
        Assert.Same(block, pool.Rent());
        Assert.Equal(0, pool.Free);
    }

    [Fact]
    public void Every_block_of_a_busy_moment_is_kept_up_to_the_capacity()
    {
        var pool = new BlockPool();
        var rented = Enumerable.Range(0, BlockPool.Capacity + 10).Select(_ => pool.Rent()).ToList();
        rented.ForEach(pool.Return);
        Assert.Equal(BlockPool.Capacity, pool.Free);
        var again = Enumerable.Range(0, BlockPool.Capacity).Select(_ => pool.Rent()).ToHashSet(ReferenceEqualityComparer.Instance);
        Assert.True(again.All(b => rented.Contains((byte[])b!)));
    }
}

using Portico.Balancing;

namespace Portico.Core.Tests.Balancing;

public class StableMaglevTests
{
    private static readonly string[] Five = ["s1", "s2", "s3", "s4", "s5"];
    private static readonly int[] Ones = [1, 1, 1, 1, 1];
    private static readonly MaglevTable All = new(Five, Ones);

    private static int[] Map(bool[] up, int keys = 100_000)
    {
        var choice = StableMaglev.Over(All, up);
        return [.. Enumerable.Range(0, keys).Select(k => choice.Lookup(StableHash.Mix((ulong)k)))];
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    [InlineData(4)]
    public void A_member_going_down_moves_only_its_keys_evenly_and_gets_exactly_those_back(int down)
    {
        var before = Map([true, true, true, true, true]);
        var up = Enumerable.Range(0, 5).Select(i => i != down).ToArray();
        var during = Map(up);
        var moved = new int[5];
        for (var k = 0; k < before.Length; k++)
        {
            Assert.NotEqual(down, during[k]);
            if (before[k] != down)
            {
                Assert.Equal(before[k], during[k]);
            }
            else
            {
                moved[during[k]]++;
            }
        }

        // The member's ~20,000 keys spread over the four others: about 5,000 each.
        Assert.All(moved.Where((_, i) => i != down), n => Assert.InRange(n, 4_000, 6_000));
        Assert.Equal(before, Map([true, true, true, true, true]));
    }

    [Fact]
    public void With_two_members_down_the_three_up_keep_every_key()
    {
        var before = Map([true, true, true, true, true]);
        var during = Map([true, false, true, false, true]);
        for (var k = 0; k < before.Length; k++)
        {
            Assert.True(during[k] is 0 or 2 or 4);
            if (before[k] is 0 or 2 or 4)
            {
                Assert.Equal(before[k], during[k]);
            }
        }
    }

    [Fact]
    public void With_no_member_up_there_is_no_choice()
    {
        var none = StableMaglev.Over(All, [false, false, false, false, false]);
        Assert.Equal((0, -1, -1), (none.UpCount, none.Lookup(42), none.LookupAfter(42, 1)));
        Assert.Equal(-1, StableMaglev.Empty.Lookup(42));
    }
}

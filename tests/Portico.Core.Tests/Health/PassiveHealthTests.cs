using Portico.Health;

namespace Portico.Core.Tests.Health;

/// <summary>The tracker the data paths feed: consecutive failures trip it once per run.</summary>
public class PassiveHealthTests
{
    [Fact]
    public void Threshold_consecutive_failures_trip_once_and_a_success_resets_the_run()
    {
        var passive = new PassiveHealth { Threshold = 3 };
        var reasons = new List<string>();
        passive.Tripped += (_, r) => reasons.Add(r);
        passive.ReportFailure("L4CON ConnectionRefused");
        passive.ReportFailure("L4CON ConnectionRefused");
        passive.ReportSuccess();
        passive.ReportFailure("L4CON ConnectionRefused");
        passive.ReportFailure("L4CON ConnectionRefused");
        Assert.Empty(reasons);
        passive.ReportFailure("L7 503");
        Assert.Equal(["3 consecutive failures of live traffic, last L7 503"], reasons);
        Assert.Equal(0, passive.ConsecutiveFailures);
        Assert.Equal(5, passive.Failures);
        Assert.Equal(1, passive.Trips);
    }

    [Fact]
    public void A_threshold_of_zero_turns_it_off()
    {
        var passive = new PassiveHealth { Threshold = 0 };
        var tripped = false;
        passive.Tripped += (_, _) => tripped = true;
        for (var i = 0; i < 10; i++)
        {
            passive.ReportFailure("L4CON ConnectionRefused");
        }

        Assert.False(tripped);
    }

    [Fact]
    public async Task Concurrent_failures_never_trip_more_than_once_per_threshold()
    {
        var passive = new PassiveHealth { Threshold = 4 };
        var trips = 0;
        passive.Tripped += (_, _) => Interlocked.Increment(ref trips);
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            for (var i = 0; i < 1000; i++)
            {
                passive.ReportFailure("x");
            }
        })));
        // Racing reporters may carry a run past the threshold before one of them resets it: fewer trips, never more.
        Assert.InRange(trips, 1, 1000);
        Assert.Equal(trips, passive.Trips);
        Assert.Equal(4000, passive.Failures);
    }
}

using Portico.Health;
using Portico.Runtime;

namespace Portico.Core.Tests.Health;

/// <summary>The tracker the data paths feed: consecutive failures trip it once per run.</summary>
public class PassiveHealthTests
{
    [Fact]
    public void Threshold_failures_trip_once_and_only_threshold_successes_in_a_row_clear_the_run()
    {
        var passive = new PassiveHealth { Threshold = 3 };
        var reasons = new List<string>();
        passive.Tripped += (_, r) => reasons.Add(r);
        passive.ReportFailure("L4CON ConnectionRefused");
        passive.ReportFailure("L4CON ConnectionRefused");
        passive.ReportSuccess();
        passive.ReportSuccess();
        passive.ReportSuccess();
        passive.ReportFailure("L4CON ConnectionRefused");
        passive.ReportFailure("L4CON ConnectionRefused");
        Assert.Empty(reasons);
        passive.ReportFailure("L7STS 503");
        Assert.Equal(["3 failures of live traffic, last L7STS 503"], reasons);
        Assert.Equal(0, passive.ConsecutiveFailures);
        Assert.Equal(5, passive.Failures);
        Assert.Equal(1, passive.Trips);
        Assert.Equal("L7STS 503", passive.LastFailure);
    }

    [Fact]
    public void A_member_failing_every_other_request_trips_after_threshold_failures()
    {
        // Counting only failures in a row, this member would never trip while half its clients fail.
        var passive = new PassiveHealth { Threshold = 3 };
        var tripped = 0;
        passive.Tripped += (_, _) => tripped++;
        for (var i = 0; i < 5; i++)
        {
            if (i % 2 == 0)
            {
                passive.ReportFailure("L7RSP reset during the response");
            }
            else
            {
                passive.ReportSuccess();
            }
        }

        Assert.Equal(1, tripped);
    }

    [Fact]
    public void A_member_failing_one_request_in_four_is_left_to_its_monitors()
    {
        var passive = new PassiveHealth { Threshold = 3 };
        var tripped = false;
        passive.Tripped += (_, _) => tripped = true;
        for (var i = 0; i < 400; i++)
        {
            if (i % 4 == 0)
            {
                passive.ReportFailure("L7STS 500");
            }
            else
            {
                passive.ReportSuccess();
            }
        }

        Assert.False(tripped);
        Assert.Equal(100, passive.Failures);
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

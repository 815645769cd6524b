using Predictor.Daemon.Pipeline;
using Predictor.Testing;

namespace Predictor.Daemon.Tests.Pipeline;

public sealed class RecentStepsTests
{
    [Fact]
    public void Newest_MoreStepsThanTheRingHolds_KeepsTheNewestNewestFirst()
    {
        var steps = new RecentSteps(new ManualTimeProvider());
        for (var i = 0; i < RecentSteps.Capacity + 5; i++)
        {
            steps.OnStepFinished(Fleet.Moved($"v{i}", "h1", "h2"));
        }

        var newest = steps.Newest(int.MaxValue);
        Assert.Equal(RecentSteps.Capacity, newest.Count);
        Assert.Equal($"v{RecentSteps.Capacity + 4}", newest[0].Outcome.Target);
        Assert.Equal("v5", newest[^1].Outcome.Target);
        Assert.Equal(["v1004", "v1003"], steps.Newest(2).Select(s => s.Outcome.Target));
    }
}

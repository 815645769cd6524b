using Predictor.Notifications.Routing;
using Predictor.Testing;

namespace Predictor.Notifications.Tests.Routing;

public sealed class TokenBucketTests
{
    [Fact]
    public void TryTake_BurstUsedUp_RefillsAtHourlyRate()
    {
        var time = new ManualTimeProvider();
        var bucket = new TokenBucket(capacity: 3, perHour: 6, time);

        Assert.Equal([true, true, true, false], Enumerable.Range(0, 4).Select(_ => bucket.TryTake()));
        Assert.Equal(TimeSpan.FromMinutes(10), bucket.UntilNextToken());

        time.Advance(TimeSpan.FromMinutes(9));
        Assert.False(bucket.TryTake());
        time.Advance(TimeSpan.FromMinutes(1));
        Assert.True(bucket.TryTake());

        time.Advance(TimeSpan.FromDays(1));
        Assert.Equal(3, Enumerable.Range(0, 5).Count(_ => bucket.TryTake()));
    }
}

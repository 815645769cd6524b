using Predictor.Core.Migration;

namespace Predictor.Core.Tests.Migration;

public sealed class PreCopyModelTests
{
    [Fact]
    public void Estimate_IdleGuest_CopiesMemoryOnceAndPausesBriefly()
    {
        // 10 GiB at 10 Gbit/s: 10 * 2^30 * 8 / 1e10 = 8.589934592 s, nothing dirtied.
        var e = PreCopyModel.Estimate(10, 0, 10, TimeSpan.FromMilliseconds(300));

        Assert.True(e.Converges);
        Assert.Equal(2, e.Rounds);
        Assert.Equal(8.589934592 + 0.020, e.Duration.TotalSeconds, 5); // TimeSpan keeps microseconds
        Assert.Equal(20, e.Downtime.TotalMilliseconds, 2);
    }

    [Fact]
    public void Estimate_BusyGuest_TakesMoreRoundsAndStaysWithinTheDowntimeLimit()
    {
        var limit = TimeSpan.FromMilliseconds(300);
        var quiet = PreCopyModel.Estimate(16, 10, 10, limit);
        var busy = PreCopyModel.Estimate(16, 400, 10, limit);

        Assert.True(busy.Rounds > quiet.Rounds);
        Assert.True(busy.Duration > quiet.Duration);
        Assert.True(busy.Downtime <= limit);
    }

    [Fact]
    public void Estimate_DirtyRateAboveBandwidthWithoutAutoConverge_DoesNotConverge()
    {
        // 1 Gbit/s is 119 MiB/s; a guest dirtying 500 MiB/s never converges.
        var e = PreCopyModel.Estimate(8, 500, 1, TimeSpan.FromMilliseconds(300), autoConverge: false);

        Assert.False(e.Converges);
    }

    [Fact]
    public void Estimate_DirtyRateAboveBandwidthWithAutoConverge_Converges()
    {
        var e = PreCopyModel.Estimate(8, 500, 1, TimeSpan.FromMilliseconds(300), autoConverge: true);

        Assert.True(e.Converges);
        Assert.True(e.Downtime <= TimeSpan.FromMilliseconds(300));
    }
}

using Predictor.Core.Migration;

namespace Predictor.Core.Tests.Migration;

public class PreCopyModelSharingTests
{
    [Theory]
    [InlineData(25, 2, 25, 2, 12.5)]
    [InlineData(100, 2, 10, 1, 10)]
    [InlineData(10, 4, 100, 2, 2.5)]
    public void SharedBandwidthGbps_EqualSplit_IsTheSmallerShare(double src, int outbound, double dst, int inbound, double expected) =>
        Assert.Equal(expected, PreCopyModel.SharedBandwidthGbps(src, outbound, dst, inbound));

    [Fact]
    public void SharedBandwidthGbps_ZeroSlots_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => PreCopyModel.SharedBandwidthGbps(10, 0, 10, 1));
}

using Predictor.Learning.Trees;

namespace Predictor.Learning.Tests.Trees;

public class FeatureBinningTests
{
    [Fact]
    public void Fit_FewDistinctValues_OneBinEachWithMidpointBounds()
    {
        var binning = FeatureBinning.Fit([3, 1, 2, 2, float.NaN, 1], maxBins: 255);

        Assert.Equal([1.5f, 2.5f], binning.UpperBounds);
        Assert.Equal(0, binning.BinOf(float.NaN));
        Assert.Equal(1, binning.BinOf(1));
        Assert.Equal(2, binning.BinOf(2));
        Assert.Equal(3, binning.BinOf(3));
        Assert.Equal(3, binning.BinOf(1000));
    }

    [Fact]
    public void Fit_ManyDistinctValues_NeverMoreBinsThanAllowed()
    {
        var values = Enumerable.Range(0, 10_000).Select(i => (float)i).ToArray();

        var binning = FeatureBinning.Fit(values, maxBins: 16);

        Assert.True(binning.BinCount <= 16);
        Assert.True(binning.BinCount >= 14);
        var counts = new int[binning.BinCount];
        foreach (var v in values)
        {
            counts[binning.BinOf(v)]++;
        }

        Assert.All(counts.Skip(1), c => Assert.InRange(c, 500, 900));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(127)]
    [InlineData(254)]
    public void BinOf_AnyNumberOfBounds_SameBinAsASearchOfTheBounds(int boundCount)
    {
        var random = new Random(boundCount);
        var bounds = Enumerable.Range(0, boundCount).Select(_ => (random.NextSingle() * 200) - 100).Distinct().Order().ToArray();
        var binning = new FeatureBinning(bounds);
        var probes = bounds.Concat(bounds.Select(b => MathF.BitIncrement(b))).Concat(bounds.Select(b => MathF.BitDecrement(b)))
            .Concat([float.NegativeInfinity, float.PositiveInfinity, float.MinValue, float.MaxValue, 0, -0f, -1000, 1000])
            .Concat(Enumerable.Range(0, 500).Select(_ => (random.NextSingle() * 300) - 150));

        foreach (var v in probes)
        {
            // Value bin k (1-based) holds UpperBounds[k-2] < v <= UpperBounds[k-1].
            var expected = 1 + bounds.Count(b => b < v);
            Assert.Equal(expected, binning.BinOf(v));
        }

        Assert.Equal(0, binning.BinOf(float.NaN));
    }
}

using Predictor.Learning.Trees;

namespace Predictor.Learning.Tests.Trees;

public class LeafRowsTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Run_SeveralSegmentsInChunks_StablePartitionOfEachSegment(int threads)
    {
        var random = new Random(3);
        const int Rows = 50_000;
        var column = Enumerable.Range(0, Rows).Select(_ => random.NextSingle() < 0.1f ? float.NaN : random.NextSingle()).ToArray();
        var binning = FeatureBinning.Fit(column, 32);
        var data = BinnedMatrix.Build([column], [binning], threads, withColumns: true);
        var rows = new LeafRows(Rows, threads);
        for (var i = 0; i < Rows; i++)
        {
            rows.Indices[i] = i;
        }

        // Two segments split on different thresholds, missing values going left in one and right in the other.
        rows.Add(0, 30_000, 0, 10, defaultLeft: true);
        rows.Add(30_000, 20_000, 0, 20, defaultLeft: false);
        rows.Run(data);

        bool Left(int row, int threshold, bool missingLeft) => data.Bins[row] == 0 ? missingLeft : data.Bins[row] <= threshold;
        int[] Expected(int start, int count, int threshold, bool missingLeft)
        {
            var segment = Enumerable.Range(start, count).ToArray();
            return [.. segment.Where(r => Left(r, threshold, missingLeft)), .. segment.Where(r => !Left(r, threshold, missingLeft))];
        }

        Assert.Equal(Expected(0, 30_000, 10, true), rows.Indices[..30_000]);
        Assert.Equal(Expected(30_000, 20_000, 20, false), rows.Indices[30_000..]);
        Assert.Equal(Expected(0, 30_000, 10, true).Count(r => Left(r, 10, true)), rows.LeftCount(0));
        Assert.Equal(Enumerable.Range(30_000, 20_000).Count(r => Left(r, 20, false)), rows.LeftCount(1));
    }
}

using Predictor.Learning.Data;

namespace Predictor.Learning.Tests.Data;

public class DataSplitterTests
{
    [Fact]
    public void ByGroup_ManyRowsPerUnit_NoUnitOnBothSidesAndFailuresOnBoth()
    {
        var random = new Random(4);
        var groups = Enumerable.Range(0, 5_000).Select(_ => $"drive-{random.Next(400)}").ToArray();
        var labels = groups.Select(g => int.Parse(g[6..], System.Globalization.CultureInfo.InvariantCulture) % 40 == 0 ? 1f : 0f).ToArray();

        var (train, test) = DataSplitter.ByGroup(groups, labels, 0.2, seed: 9);

        var trainGroups = train.Select(i => groups[i]).ToHashSet();
        var testGroups = test.Select(i => groups[i]).ToHashSet();
        Assert.Empty(trainGroups.Intersect(testGroups));
        Assert.Equal(groups.Length, train.Length + test.Length);
        Assert.Contains(test, i => labels[i] == 1);
        Assert.Contains(train, i => labels[i] == 1);
        Assert.InRange(testGroups.Count, 70, 90);
    }

    [Fact]
    public void ByTime_HoldsOutTheLatestRows()
    {
        string[] times = ["2024-01-05", "2024-01-01", "2024-01-04", "2024-01-02", "2024-01-03"];

        var (train, test) = DataSplitter.ByTime(times, 0.4);

        Assert.Equal([1, 3, 4], train);
        Assert.Equal([0, 2], test);
    }
}

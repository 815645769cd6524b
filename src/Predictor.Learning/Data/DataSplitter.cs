namespace Predictor.Learning.Data;

/// <summary>
/// Holds out part of a data set: by group when there is one (every row of a unit on one side, failed and
/// healthy units sampled separately so both sides get failures), else by time (the latest rows), else
/// by row. Deterministic for a seed.
/// </summary>
internal static class DataSplitter
{
    public static (int[] Train, int[] Test) Split(DataSet data, double testFraction, int seed)
    {
        if (data.Groups is { } groups)
        {
            return ByGroup(groups, data.Labels, testFraction, seed);
        }

        if (data.Times is { } times)
        {
            return ByTime(times, testFraction);
        }

        return ByRow(data.Rows, testFraction, seed);
    }

    public static (int[] Train, int[] Test) ByGroup(string[] groups, float[]? labels, double testFraction, int seed)
    {
        var failed = new HashSet<string>(StringComparer.Ordinal);
        var all = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < groups.Length; i++)
        {
            if (seen.Add(groups[i]))
            {
                all.Add(groups[i]);
            }

            if (labels is not null && labels[i] > 0.5f)
            {
                failed.Add(groups[i]);
            }
        }

        all.Sort(StringComparer.Ordinal);
        var random = new Random(seed);
        var test = new HashSet<string>(StringComparer.Ordinal);
        foreach (var stratum in new[] { all.Where(failed.Contains).ToArray(), all.Where(g => !failed.Contains(g)).ToArray() })
        {
            random.Shuffle(stratum);
            var take = (int)Math.Round(stratum.Length * testFraction);
            for (var i = 0; i < take; i++)
            {
                test.Add(stratum[i]);
            }
        }

        var trainRows = new List<int>();
        var testRows = new List<int>();
        for (var i = 0; i < groups.Length; i++)
        {
            (test.Contains(groups[i]) ? testRows : trainRows).Add(i);
        }

        return ([.. trainRows], [.. testRows]);
    }

    public static (int[] Train, int[] Test) ByTime(string[] times, double testFraction)
    {
        var keys = new (DateTimeOffset? Time, string Text)[times.Length];
        for (var i = 0; i < times.Length; i++)
        {
            keys[i] = (Metrics.UnitMetrics.ParseTime(times[i]), times[i]);
        }

        var order = Enumerable.Range(0, times.Length).ToArray();
        Array.Sort(order, (a, b) =>
        {
            var c = (keys[a].Time, keys[b].Time) switch
            {
                ({ } x, { } y) => x.CompareTo(y),
                _ => string.CompareOrdinal(keys[a].Text, keys[b].Text),
            };
            return c != 0 ? c : a.CompareTo(b);
        });
        var cut = times.Length - (int)Math.Round(times.Length * testFraction);
        var train = order[..cut];
        var test = order[cut..];
        Array.Sort(train);
        Array.Sort(test);
        return (train, test);
    }

    public static (int[] Train, int[] Test) ByRow(int rows, double testFraction, int seed)
    {
        var random = new Random(seed);
        var train = new List<int>();
        var test = new List<int>();
        for (var i = 0; i < rows; i++)
        {
            (random.NextDouble() < testFraction ? test : train).Add(i);
        }

        return ([.. train], [.. test]);
    }
}

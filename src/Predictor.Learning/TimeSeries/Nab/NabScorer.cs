namespace Predictor.Learning.TimeSeries.Nab;

/// <summary>One series' anomaly scores in [0, 1], one per row.</summary>
public sealed record NabDetections(NabSeries Series, double[] Scores);

/// <summary>A series' outcome at the chosen threshold.</summary>
public sealed record NabFileScore(string Name, double Score, int Windows, int DetectedWindows, int FalsePositives);

/// <summary>
/// NAB's result for one detector: the single threshold that maximises the summed raw score over every series, that
/// raw score, the null (nothing detected) and perfect (every window caught at its start) scores, and the normalised
/// score <c>100 · (raw − null) / (perfect − null)</c>.
/// </summary>
public sealed record NabResult(double Threshold, double RawScore, double NullScore, double PerfectScore, IReadOnlyList<NabFileScore> Files)
{
    public double NormalisedScore => 100 * (RawScore - NullScore) / (PerfectScore - NullScore);

    public int Windows => Files.Sum(f => f.Windows);

    public int DetectedWindows => Files.Sum(f => f.DetectedWindows);

    public int FalsePositives => Files.Sum(f => f.FalsePositives);
}

/// <summary>
/// NAB's scoring (numenta/NAB <c>sweeper.py</c>, <c>optimizer.py</c>, <c>runner.py</c>): a row inside a window is worth
/// <c>S(−(end − i + 1)/width) · tp / S(−1)</c> with S the scaled sigmoid <c>2/(1+e^{5x}) − 1</c> (−1 beyond x = 3), only the
/// best-scoring detection of a window counts, and an undetected window costs <c>fn</c>; a detection outside every window
/// costs <c>fp · S(|i − previous end| / (previous width − 1))</c> (<c>−fp</c> before the first window). Rows of the
/// probationary period are ignored. A row is detected when its score is at least the threshold; the threshold is
/// chosen by sweeping every distinct score of every series at once, as NAB's optimiser does.
/// </summary>
public static class NabScorer
{
    private const int Outside = -1;

    public static double ScaledSigmoid(double relativePosition) =>
        relativePosition > 3.0 ? -1.0 : (2.0 / (1.0 + Math.Exp(5.0 * relativePosition))) - 1.0;

    public static NabResult Score(IReadOnlyList<NabDetections> detections, NabProfile profile)
    {
        ArgumentNullException.ThrowIfNull(detections);
        ArgumentNullException.ThrowIfNull(profile);
        var points = new List<SweepPoint>();
        var windowFile = new List<int>();
        int totalWindows = 0;
        for (int f = 0; f < detections.Count; f++)
        {
            var d = detections[f];
            if (d.Scores.Length != d.Series.Values.Length)
            {
                throw new ArgumentException($"{d.Series.Name}: {d.Scores.Length} scores for {d.Series.Values.Length} rows", nameof(detections));
            }

            totalWindows += d.Series.Windows.Count;
            AddSweepPoints(d, profile, f, windowFile, points);
        }

        var scorableWindows = points.Where(p => p.Window != Outside).Select(p => p.Window).ToHashSet();
        double nullScore = -profile.FnWeight * scorableWindows.Count;
        double perfect = totalWindows * profile.TpWeight;

        // Sweep from the highest score down; an entry for threshold T holds every point scoring at least T.
        points.Sort((a, b) => b.Score.CompareTo(a.Score));
        var best = new double[windowFile.Count];
        Array.Fill(best, -profile.FnWeight);
        double fpSum = 0;
        double windowSum = nullScore;
        double bestTotal = nullScore;
        double bestThreshold = 1.1;
        for (int i = 0; i < points.Count; i++)
        {
            var p = points[i];
            if (p.Window == Outside)
            {
                fpSum += p.Weighted;
            }
            else if (p.Weighted > best[p.Window])
            {
                windowSum += p.Weighted - best[p.Window];
                best[p.Window] = p.Weighted;
            }

            bool lastOfThreshold = i == points.Count - 1 || points[i + 1].Score != p.Score;
            if (lastOfThreshold && fpSum + windowSum > bestTotal)
            {
                bestTotal = fpSum + windowSum;
                bestThreshold = p.Score;
            }
        }

        var files = detections.Select((d, f) => FileScore(d, profile, bestThreshold)).ToList();
        return new NabResult(bestThreshold, bestTotal, nullScore, perfect, files);
    }

    private static void AddSweepPoints(NabDetections d, NabProfile profile, int file, List<int> windowFile, List<SweepPoint> points)
    {
        int n = d.Scores.Length;
        int probation = profile.ProbationLength(n);
        var windowIds = new int[d.Series.Windows.Count];
        for (int w = 0; w < windowIds.Length; w++)
        {
            windowIds[w] = windowFile.Count;
            windowFile.Add(file);
        }

        foreach (var (index, weighted, window) in Weights(d.Series, profile))
        {
            if (index >= probation)
            {
                points.Add(new SweepPoint(d.Scores[index], weighted, window == Outside ? Outside : windowIds[window]));
            }
        }
    }

    /// <summary>Each row's weighted credit (in a window) or cost (outside), and its window (or <see cref="Outside"/>).</summary>
    private static IEnumerable<(int Index, double Weighted, int Window)> Weights(NabSeries series, NabProfile profile)
    {
        double maxTp = ScaledSigmoid(-1.0);
        int w = 0;
        int previousEnd = -1;
        int previousWidth = 0;
        for (int i = 0; i < series.Values.Length; i++)
        {
            if (w < series.Windows.Count && i >= series.Windows[w].Start)
            {
                var (start, end) = series.Windows[w];
                double width = end - start + 1;
                yield return (i, ScaledSigmoid(-(end - i + 1) / width) * profile.TpWeight / maxTp, w);
                if (i == end)
                {
                    previousEnd = end;
                    previousWidth = (int)width;
                    w++;
                }

                continue;
            }

            double unweighted = previousEnd < 0 ? -1.0 : ScaledSigmoid(Math.Abs(previousEnd - i) / (double)Math.Max(previousWidth - 1, 1));
            yield return (i, unweighted * profile.FpWeight, Outside);
        }
    }

    private static NabFileScore FileScore(NabDetections d, NabProfile profile, double threshold)
    {
        int probation = profile.ProbationLength(d.Scores.Length);
        var best = new double?[d.Series.Windows.Count];
        int falsePositives = 0;
        double fp = 0;
        foreach (var (index, weighted, window) in Weights(d.Series, profile))
        {
            if (index < probation || d.Scores[index] < threshold)
            {
                continue;
            }

            if (window == Outside)
            {
                falsePositives++;
                fp += weighted;
            }
            else
            {
                best[window] = Math.Max(best[window] ?? double.MinValue, weighted);
            }
        }

        var scorable = d.Series.Windows.Select(win => win.End >= probation).ToArray();
        double score = fp + best.Select((b, i) => b ?? (scorable[i] ? -profile.FnWeight : 0)).Sum();
        return new NabFileScore(d.Series.Name, score, d.Series.Windows.Count, best.Count(b => b is not null), falsePositives);
    }

    private readonly record struct SweepPoint(double Score, double Weighted, int Window);
}

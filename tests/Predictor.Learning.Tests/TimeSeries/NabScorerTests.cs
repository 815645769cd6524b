using Predictor.Learning.TimeSeries;
using Predictor.Learning.TimeSeries.Nab;
using Predictor.Learning.TimeSeries.Novelty;

namespace Predictor.Learning.Tests.TimeSeries;

public sealed class NabScorerTests
{
    private static NabSeries Series(int rows, params (int Start, int End)[] windows) =>
        new("cat/file.csv", [.. Enumerable.Range(0, rows).Select(i => new DateTime(2014, 4, 1).AddMinutes(5 * i))], new double[rows], windows);

    [Fact]
    public void Score_DetectionAtWindowStartAndEarlierFalsePositive_ThresholdDropsTheFalsePositive()
    {
        // 20 rows: probation floor(0.15 · 20) = 3 rows; one window of 4 rows at 10..13.
        var series = Series(20, (10, 13));
        var scores = new double[20];
        scores[10] = 0.9; // the window's first row: full credit 1
        scores[5] = 0.8;  // before any window: costs 0.11

        var result = NabScorer.Score([new NabDetections(series, scores)], NabProfile.Standard);

        Assert.Equal(0.9, result.Threshold);
        Assert.Equal(1.0, result.RawScore, 1e-12);
        Assert.Equal(-1.0, result.NullScore);
        Assert.Equal(1.0, result.PerfectScore);
        Assert.Equal(100, result.NormalisedScore, 1e-9);
        Assert.Equal(0, result.FalsePositives);
    }

    [Fact]
    public void Score_LateDetectionAndFalsePositiveAfterTheWindow_ScaledSigmoidCreditAndCost()
    {
        var series = Series(40, (10, 13));
        var scores = new double[40];
        scores[12] = 0.7; // relative position −(13 − 12 + 1)/4 = −0.5
        scores[16] = 0.6; // 3 rows past the window end, relative position 3/(4 − 1) = 1
        scores[2] = 1.0;  // in the probationary period (6 rows): ignored

        var result = NabScorer.Score([new NabDetections(series, scores)], NabProfile.Standard);

        static double S(double x) => (2 / (1 + Math.Exp(5 * x))) - 1;
        double credit = S(-0.5) / S(-1);
        double cost = 0.11 * S(1);
        Assert.Equal(0.7, result.Threshold); // the false positive costs more than nothing
        Assert.Equal(credit, result.RawScore, 1e-12);
        Assert.True(credit + cost < credit);
        Assert.Equal(100 * (credit + 1) / 2, result.NormalisedScore, 1e-9);
        Assert.Equal(1, result.DetectedWindows);
    }

    [Fact]
    public void Novelty_SharedCorpus_BeatsTheWindowedGaussianBaseline()
    {
        var corpus = NabCorpus.Load(NabEvaluationTests.RepositoryFile("data", "nab", "corpus"));
        Assert.Equal(18, corpus.Count);

        var baseline = NabBenchmark.Run(corpus, NabBenchmark.Detectors["windowed-gaussian"], NabProfile.Standard);
        var novelty = NabBenchmark.Run(corpus, NabBenchmark.Detectors["novelty"], NabProfile.Standard);

        Assert.True(novelty.NormalisedScore > baseline.NormalisedScore + 20, $"novelty {novelty.NormalisedScore:0.0}, windowed Gaussian {baseline.NormalisedScore:0.0}");
    }

    [Fact]
    public void Corpus_LabelledFileMissing_ErrorNamesIt()
    {
        var root = Directory.CreateTempSubdirectory("nab");
        try
        {
            Directory.CreateDirectory(Path.Combine(root.FullName, "cat"));
            File.WriteAllText(Path.Combine(root.FullName, NabCorpus.LabelFile), "{\"cat/gone.csv\": []}");

            var ex = Assert.Throws<NabCorpusException>(() => NabCorpus.Load(root.FullName));

            Assert.Equal($"{Path.Combine(root.FullName, NabCorpus.LabelFile)}: labelled series not found under {root.FullName}: cat/gone.csv", ex.Message);
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }

    [Fact]
    public void NoveltyDetector_RepeatingPatternThenUnseenLevel_AlertsAtTheChangeOnlyAfterWarmUp()
    {
        var values = Enumerable.Range(0, 3000).Select(i => Math.Sin(2 * Math.PI * i / 50) + (0.01 * ((i * 7919) % 13))).ToArray();
        for (int i = 2500; i < 2600; i++)
        {
            values[i] += 5;
        }

        var scores = SeriesDetection.Run(new NoveltyDetector(new NoveltyDetectorOptions()), values);
        var alerts = scores.Select((s, i) => (s, i)).Where(x => x.s.Alert).Select(x => x.i).ToArray();

        // an episode alerts at its rise (a few rising points at most), and once the history holds the pattern nothing else does
        Assert.Equal(2500, alerts.First(i => i >= 1000));
        Assert.All(alerts.Where(i => i >= 1000), i => Assert.InRange(i, 2500, 2505));
    }

    [Fact]
    public void DetectRunner_RawStreaming_AddsMlNetColumns()
    {
        var rows = Enumerable.Range(0, 30).Select(i => new TimeSeriesRow($"t{i}", i == 25 ? 50 : 5 + (i % 3))).ToList();

        var table = DetectRunner.Run(rows, new DetectRequest { Method = DetectionMethod.IidChangePoint, Raw = true });

        Assert.Equal(["timestamp", "value", "score", "alert", "raw_score", "p_value", "martingale", "mag"], table.Header);
        Assert.Equal("0.5", table.Lines[0][5]);
        Assert.Equal(string.Empty, table.Lines[0][7]);
        Assert.Equal("50", table.Lines[25][4]);
    }
}

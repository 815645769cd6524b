using Predictor.Learning.Calibration;

namespace Predictor.Learning.Tests.Calibration;

public class CalibrationTests
{
    /// <summary>Scores uniform in [−4, 4]; the true probability is 1/(1 + exp(−2s + 1)) (slope −2, offset 1).</summary>
    private static (double[] Scores, float[] Labels) KnownProbabilities(int rows, int seed)
    {
        var random = new Random(seed);
        var scores = new double[rows];
        var labels = new float[rows];
        for (var i = 0; i < rows; i++)
        {
            scores[i] = (random.NextDouble() * 8) - 4;
            labels[i] = random.NextDouble() < True(scores[i]) ? 1 : 0;
        }

        return (scores, labels);
    }

    private static double True(double s) => 1 / (1 + Math.Exp((-2 * s) + 1));

    [Fact]
    public void Platt_KnownSigmoid_RecoversSlopeAndOffset()
    {
        var (scores, labels) = KnownProbabilities(50_000, 1);

        var platt = PlattCalibrator.Fit(scores, labels);

        Assert.InRange(platt.Slope, -2.1, -1.9);
        Assert.InRange(platt.Offset, 0.9, 1.1);
        foreach (var s in new[] { -2.0, 0.0, 0.5, 2.0 })
        {
            Assert.InRange(platt.Probability(s) - True(s), -0.02, 0.02);
        }
    }

    [Fact]
    public void Isotonic_KnownProbabilities_MonotoneAndClose()
    {
        var (scores, labels) = KnownProbabilities(50_000, 2);

        var isotonic = IsotonicCalibrator.Fit(scores, labels);

        for (var i = 1; i < isotonic.Values.Length; i++)
        {
            Assert.True(isotonic.Values[i] >= isotonic.Values[i - 1]);
            Assert.True(isotonic.Thresholds[i] > isotonic.Thresholds[i - 1]);
        }

        foreach (var s in new[] { -1.5, 0.0, 0.5, 1.0, 2.0 })
        {
            Assert.InRange(isotonic.Probability(s) - True(s), -0.05, 0.05);
        }
    }

    [Fact]
    public void Isotonic_ViolatorsArePooled()
    {
        // Labels 0,1,0,1 on increasing scores: the middle pair (1, 0) violates order and pools to 0.5.
        var isotonic = IsotonicCalibrator.Fit([1, 2, 3, 4], [0, 1, 0, 1]);

        Assert.Equal([1.0, 2.0, 4.0], isotonic.Thresholds);
        Assert.Equal([0.0, 0.5, 1.0], isotonic.Values);
        Assert.Equal(0.5, isotonic.Probability(3.5));
        Assert.Equal(0.0, isotonic.Probability(-10));
    }
}

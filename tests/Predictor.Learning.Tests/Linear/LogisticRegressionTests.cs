using Predictor.Learning.Data;
using Predictor.Learning.Linear;

namespace Predictor.Learning.Tests.Linear;

public class LogisticRegressionTests
{
    /// <summary>x0, x1 standard normal-ish (uniform scaled), x2 pure noise; log-odds = 1.5·x0 − 1·x1 + 0.5.</summary>
    private static DataSet Linear(int rows, int seed)
    {
        var random = new Random(seed);
        var columns = new[] { new float[rows], new float[rows], new float[rows] };
        var labels = new float[rows];
        for (var i = 0; i < rows; i++)
        {
            for (var f = 0; f < 3; f++)
            {
                columns[f][i] = (float)((random.NextDouble() - 0.5) * Math.Sqrt(12));
            }

            var z = (1.5 * columns[0][i]) - columns[1][i] + 0.5;
            labels[i] = random.NextDouble() < 1 / (1 + Math.Exp(-z)) ? 1 : 0;
        }

        return new DataSet(["x0", "x1", "x2"], columns, labels);
    }

    [Fact]
    public void Train_L2Only_RecoversTheTrueCoefficients()
    {
        var model = new LogisticRegressionTrainer(new LogisticRegressionOptions { L2 = 1e-6 }).Train(Linear(40_000, 1));

        // Features are standardized (variance 1 by construction), so weights are the true coefficients.
        Assert.InRange(model.Weights[0], 1.4, 1.6);
        Assert.InRange(model.Weights[1], -1.1, -0.9);
        Assert.InRange(model.Weights[2], -0.05, 0.05);
        Assert.InRange(model.Bias + (model.Weights[0] * -model.Means[0] / model.Scales[0]), 0.4, 0.6);
    }

    [Fact]
    public void Train_StrongL1_ZeroesTheNoiseFeatureExactly()
    {
        var model = new LogisticRegressionTrainer(new LogisticRegressionOptions { L1 = 0.02, L2 = 0 }).Train(Linear(20_000, 2));

        Assert.Equal(0.0, model.Weights[2]);
        Assert.True(model.Weights[0] > 1.0);
        Assert.True(model.Weights[1] < -0.6);
    }
}

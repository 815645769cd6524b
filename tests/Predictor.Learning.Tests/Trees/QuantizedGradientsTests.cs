using System.Runtime.Intrinsics;
using Predictor.Learning.Trees;

namespace Predictor.Learning.Tests.Trees;

public class QuantizedGradientsTests
{
    [Fact]
    public void Compute_SumsOfPairs_MatchTheLogisticGradientsAndCountTheRows()
    {
        var random = new Random(5);
        const int Rows = 10_003;
        var labels = Enumerable.Range(0, Rows).Select(_ => random.Next(4) == 0 ? 1f : 0f).ToArray();
        var weights = labels.Select(l => l > 0.5f ? 7f : 1f).ToArray();
        var scores = Enumerable.Range(0, Rows).Select(_ => (random.NextDouble() * 20) - 10).ToArray();
        var q = new QuantizedGradients(labels, weights);

        q.Compute(scores, threads: 2);

        double g = 0, h = 0;
        var sum = Vector128<long>.Zero;
        for (var i = 0; i < Rows; i++)
        {
            var p = 1 / (1 + Math.Exp(-scores[i]));
            g += (p - labels[i]) * weights[i];
            h += Math.Max(p * (1 - p), 1e-16) * weights[i];
            sum += q.Pairs[i];
        }

        Assert.Equal(Rows, q.Count(sum.GetElement(1)));
        Assert.Equal(g, q.Gradient(sum.GetElement(0)), 6);
        Assert.Equal(h, q.Hessian(sum.GetElement(1)), 3);
    }

    [Fact]
    public void Compute_ConfidentRowsAndHeavyPositiveWeights_TinyHessiansKeepTheirPrecision()
    {
        // Late in training most rows are far from 0.5 (h about 6e-6 here) while a weight of 1,000 on the rare
        // positives would make a scale fixed in advance by the largest weight coarse; the round's own sums set it.
        const int Rows = 100_000;
        var labels = Enumerable.Range(0, Rows).Select(i => i % 10_000 == 0 ? 1f : 0f).ToArray();
        var weights = labels.Select(l => l > 0.5f ? 1_000f : 1f).ToArray();
        var scores = labels.Select(l => l > 0.5f ? 12.0 : -12.0).ToArray();
        var q = new QuantizedGradients(labels, weights);

        q.Compute(scores, threads: 1);

        var expected = labels.Select((l, i) => Math.Max(Sigmoid(scores[i]) * (1 - Sigmoid(scores[i])), 1e-16) * weights[i]).Sum();
        var sum = q.Pairs.Aggregate(Vector128<long>.Zero, (a, p) => a + p);
        Assert.Equal(1, q.Hessian(sum.GetElement(1)) / expected, 6);
    }

    [Fact]
    public void Compute_AnyThreadCount_SamePairs()
    {
        var random = new Random(8);
        const int Rows = 70_001;
        var labels = Enumerable.Range(0, Rows).Select(_ => (float)random.Next(2)).ToArray();
        var weights = Enumerable.Repeat(1f, Rows).ToArray();
        var scores = Enumerable.Range(0, Rows).Select(_ => random.NextDouble() - 0.5).ToArray();
        var one = new QuantizedGradients(labels, weights);
        var two = new QuantizedGradients(labels, weights);

        one.Compute(scores, threads: 1);
        two.Compute(scores, threads: 2);

        Assert.Equal(one.Pairs, two.Pairs);
    }

    private static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));
}

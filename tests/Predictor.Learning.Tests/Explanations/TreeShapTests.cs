using Predictor.Learning.Explanations;
using Predictor.Learning.Trees;

namespace Predictor.Learning.Tests.Explanations;

public class TreeShapTests
{
    /// <summary>
    /// Root splits x0 ≤ 0.5 (cover 10 = 6 left + 4 right); the left child splits x1 ≤ 0.5 into leaves
    /// A = 1 (cover 2) and B = 3 (cover 4); the right leaf C = −2 (cover 4).
    /// </summary>
    private static GbdtModel HandTree(double baseScore = 0.5)
    {
        var tree = new RegressionTree(
            SplitFeature: [0, 1], ThresholdBin: [1, 1], Threshold: [0.5f, 0.5f], DefaultLeft: [true, true],
            Left: [1, ~0], Right: [~2, ~1], Gain: [1, 1], InternalCover: [10, 6], LeafValue: [1, 3, -2], LeafCover: [2, 4, 4]);
        return new GbdtModel(["x0", "x1"], [new([0.5f]), new([0.5f])], baseScore, [tree]);
    }

    [Fact]
    public void Contributions_HandComputedTree_MatchShapleyByHand()
    {
        // E[f] = (2·1 + 4·3 + 4·(−2))/10 = 0.6. For x = (0, 0) the path ends in A = 1.
        // v({}) = 0.6; v({x0}) = (2·1 + 4·3)/6 = 7/3; v({x1}) = 0.6·1 + 0.4·(−2) = −0.2; v({x0,x1}) = 1.
        // φ0 = ½[(7/3 − 0.6) + (1 − (−0.2))] = ½(26/15 + 18/15) = 22/15; φ1 = ½[(−0.2 − 0.6) + (1 − 7/3)] = −16/15.
        var shap = new TreeShap(HandTree());

        var phi = shap.Contributions([0f, 0f]);

        Assert.Equal(0.5 + 0.6, shap.ExpectedValue, 12);
        Assert.Equal(22.0 / 15, phi[0], 12);
        Assert.Equal(-16.0 / 15, phi[1], 12);
    }

    [Fact]
    public void Contributions_RightLeaf_UnusedFeatureStillSharesThroughTheCoalitions()
    {
        // x = (1, 0) ends in C = −2. v({}) = 0.6, v({x0}) = −2, v({x1}) = 0.6·1 + 0.4·(−2) = −0.2, v({x0,x1}) = −2.
        // φ0 = ½[(−2 − 0.6) + (−2 + 0.2)] = −2.2; φ1 = ½[(−0.2 − 0.6) + 0] = −0.4; sum = −2.6 = −2 − 0.6.
        var phi = new TreeShap(HandTree()).Contributions([1f, 0f]);

        Assert.Equal(-2.2, phi[0], 12);
        Assert.Equal(-0.4, phi[1], 12);
    }

    [Fact]
    public void Contributions_TrainedForest_SumWithBiasToRawScore()
    {
        var data = Synthetic.Classification(4_000, 6, seed: 8);
        var model = new GbdtTrainer(new GbdtOptions { Trees = 30, Leaves = 16, Threads = 2 }).Train(data);
        var shap = new TreeShap(model);
        var row = new float[6];

        for (var i = 0; i < 200; i++)
        {
            for (var f = 0; f < 6; f++)
            {
                row[f] = data.Columns[f][i];
            }

            var phi = shap.Contributions(row);
            Assert.Equal(model.RawScore(row), shap.ExpectedValue + phi.Sum(), 9);
        }
    }
}

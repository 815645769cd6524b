using Predictor.Learning.Trees;

namespace Predictor.Learning.Tests.Trees;

public class CompiledForestTests
{
    [Theory]
    [InlineData(6, 64)]
    [InlineData(0, 40)]
    public void RawScores_AnyTreeShape_EqualTheTreeWalk(int maxDepth, int leaves)
    {
        var data = Synthetic.Classification(3_000, 5, seed: 2);
        var model = new GbdtTrainer(new GbdtOptions { Trees = 20, Leaves = leaves, MaxDepth = maxDepth, MinExamplesPerLeaf = 2, Threads = 2 }).Train(data);
        var forest = new CompiledForest(model);

        var scores = forest.RawScores(data.Columns, 2);

        var row = new float[5];
        for (var i = 0; i < data.Rows; i++)
        {
            for (var f = 0; f < 5; f++)
            {
                row[f] = data.Columns[f][i];
            }

            Assert.Equal(model.RawScore(row), scores[i], 9);
        }
    }
}

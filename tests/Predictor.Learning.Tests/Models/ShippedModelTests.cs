using Predictor.Learning.Data;
using Predictor.Learning.Metrics;
using Predictor.Learning.Models;

namespace Predictor.Learning.Tests.Models;

public class ShippedModelTests
{
    private static string RepositoryFile(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, relative);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException($"{relative} not found above {AppContext.BaseDirectory}");
    }

    [Fact]
    public void BackblazeModel_DrivesHeldOutOfItsTraining_RankedAsItsCardSays()
    {
        var path = RepositoryFile("models/backblaze-st8000nm0055.json");
        Assert.True(new FileInfo(path).Length < 1_000_000);
        var model = ModelFileReader.Load(path);
        var t = model.Training;
        var table = CsvTable.Load(RepositoryFile("data/backblaze/ST8000NM0055_last_day.csv"), [t.Group!, t.Time!]);
        var data = DataSetLoader.ForModel(table, model.Features, new DataSchema(t.Label, t.Group, t.Time, t.Excluded));

        // the drives `predictor train` held out (by serial number, with the model's seed): none of them was trained on
        var seed = t.Options["seed"]!.GetValue<int>();
        var (trainRows, testRows) = DataSplitter.ByGroup(data.Groups!, data.Labels, 0.2, seed);
        var heldOut = data.Subset(testRows);
        var trained = trainRows.Select(i => data.Groups![i]).ToHashSet(StringComparer.Ordinal);
        var auc = BinaryMetrics.RocAuc(model.Probabilities(heldOut.Columns, 2), heldOut.Labels!);

        Assert.DoesNotContain("smart_9_raw", model.Features);
        Assert.Equal((14_679, t.Rows), (data.Rows, trainRows.Length));
        Assert.DoesNotContain(heldOut.Groups!, trained.Contains);
        Assert.Equal(model.Metrics["heldOut"]!["rocAuc"]!.GetValue<double>(), auc, 6);
        Assert.InRange(auc, 0.95, 1.0);
    }
}

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
    public void BackblazeModel_LoadsUnder1MBAndRanksFailedDrivesHigh()
    {
        var path = RepositoryFile("models/backblaze-st8000nm0055.json");
        Assert.True(new FileInfo(path).Length < 1_000_000);
        var model = ModelFileReader.Load(path);
        var t = model.Training;
        var table = CsvTable.Load(RepositoryFile("data/backblaze/ST8000NM0055_last_day.csv"), [t.Group!, t.Time!]);

        var data = DataSetLoader.ForModel(table, model.Features, new DataSchema(t.Label, t.Group, t.Time, t.Excluded));

        Assert.DoesNotContain("smart_9_raw", model.Features);
        Assert.Equal(14_679, data.Rows);
        Assert.InRange(BinaryMetrics.RocAuc(model.Probabilities(data.Columns, 2), data.Labels), 0.95, 1.0);
    }
}

namespace Predictor.Tests.Cli;

[Collection(ConsoleCollection.Name)]
public class LearningCommandsTests
{
    private static string Csv(string content)
    {
        var path = Path.Combine(Path.GetTempPath(), $"predictor-cli-{Guid.NewGuid():N}.csv");
        File.WriteAllText(path, content);
        return path;
    }

    [Fact]
    public async Task Train_ScoreAndExplain_WriteModelReportScoresAndContributions()
    {
        var rows = string.Join("", Enumerable.Range(0, 200).Select(i => $"u{i},{i % 10},{(i * 7) % 13},{(i % 10 >= 7 ? 1 : 0)}\n"));
        var data = Csv("unit,a,b,failure\n" + rows);
        var model = data + ".model.json";

        var train = await CliConsole.RunAsync("train", "--data", data, "--label", "failure", "--group", "unit", "--out", model, "--trees", "5",
            "--min-examples-per-leaf", "2", "--threads", "1");
        var score = await CliConsole.RunAsync("score", "--model", model, "--data", data, "--out", data + ".scores.csv");
        var explain = await CliConsole.RunAsync("explain", "--model", model, "--data", data, "--top", "1");

        Assert.Equal(0, train.Code);
        Assert.Contains("timings: load_s ", train.Stdout, StringComparison.Ordinal);
        Assert.True(File.Exists(model + ".report.json"));
        Assert.Equal(0, score.Code);
        Assert.Equal(201, File.ReadAllLines(data + ".scores.csv").Length);
        Assert.Equal(0, explain.Code);
        Assert.StartsWith("line,unit,probability,raw_score,bias,rank,feature,value,contribution\n2,u0,", explain.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("leafwise")]
    [InlineData("depthwise")]
    public async Task Train_ThreadsOneAndTwo_SameModelJson(string growPolicy)
    {
        // Enough rows that histograms and partitions are cut into chunks and run on both threads.
        var random = new Random(4);
        var rows = new System.Text.StringBuilder("a,b,c,d,failure\n");
        for (var i = 0; i < 40_000; i++)
        {
            double a = random.NextDouble(), b = random.NextDouble(), c = random.Next(12), d = random.NextDouble();
            var failure = random.NextDouble() < 1 / (1 + Math.Exp(-((3 * a) - (2 * b) + (c > 6 ? 1 : 0) - 1.5))) ? 1 : 0;
            var dCell = random.Next(10) == 0 ? "" : d.ToString("F4", System.Globalization.CultureInfo.InvariantCulture);
            rows.Append(System.Globalization.CultureInfo.InvariantCulture, $"{a:F4},{b:F4},{c},{dCell},{failure}\n");
        }

        var data = Csv(rows.ToString());
        string[] Train(int threads) => ["train", "--data", data, "--label", "failure", "--out", $"{data}.{threads}.json", "--trees", "4",
            "--max-depth", "5", "--grow-policy", growPolicy, "--min-examples-per-leaf", "2", "--threads", threads.ToString(System.Globalization.CultureInfo.InvariantCulture)];

        var one = await CliConsole.RunAsync(Train(1));
        var two = await CliConsole.RunAsync(Train(2));

        Assert.Equal(0, one.Code);
        Assert.Equal(0, two.Code);
        // Only the creation time may differ.
        static string WithoutCreatedAt(string path)
        {
            var model = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(path))!.AsObject();
            Assert.True(model.Remove("createdAt"));
            return model.ToJsonString();
        }

        Assert.Equal(WithoutCreatedAt($"{data}.1.json"), WithoutCreatedAt($"{data}.2.json"));
    }

    [Fact]
    public async Task Train_NonNumericCell_ExitCode2AndOneLineNamingLineAndColumn()
    {
        var data = Csv("a,failure\n1,0\nbad,1\n2,1\n");

        var (exit, _, error) = await CliConsole.RunAsync("train", "--data", data, "--label", "failure", "--out", data + ".json");

        Assert.Equal(2, exit);
        // Progress lines come first on stderr; the error is the last line, without a stack trace.
        Assert.EndsWith($"\nerror: {data}: line 3, column 'a': expected a number, got 'bad'\n", error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Score_MissingModel_ExitCode2()
    {
        var data = Csv("a,failure\n1,0\n");

        var (exit, _, error) = await CliConsole.RunAsync("score", "--model", "/nonexistent/model.json", "--data", data, "--out", data + ".out");

        Assert.Equal(2, exit);
        Assert.Equal("error: /nonexistent/model.json: model file not found\n", error);
    }
}

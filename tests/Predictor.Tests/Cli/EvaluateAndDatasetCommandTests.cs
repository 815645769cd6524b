using System.Text.Json.Nodes;
using System.Xml.Linq;
using Predictor.Core.Risk;

namespace Predictor.Tests.Cli;

[Collection(ConsoleCollection.Name)]
public sealed class EvaluateAndDatasetCommandTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "predictor-evaluate-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Evaluate_TwoSmallFleets_WritesMarkdownJsonAndSvgAndReportsEachRunOnStderr()
    {
        var (code, stdout, stderr) = await CliConsole.RunAsync("evaluate", "--seeds", "5..6", "--days", "0.25", "--hosts", "20", "--assessors", "none,model",
            "--out", _dir, "--Simulation:FailuresPerHostYear=300");

        Assert.Equal(0, code);
        Assert.StartsWith("# Fleet evaluation: seeds 5..6, 20 hosts, 0.25 days each", stdout, StringComparison.Ordinal);
        Assert.Equal(4, stderr.Split('\n').Count(l => l.StartsWith("evaluate: ", StringComparison.Ordinal)));
        Assert.Contains("evaluate: 4/4 seed 6 model: ", stderr, StringComparison.Ordinal);
        Assert.Equal(stdout, File.ReadAllText(Path.Combine(_dir, "evaluation.md")));
        Assert.Contains("predictor evaluate --seeds 5..6 --days 0.25 --hosts 20", stdout, StringComparison.Ordinal); // the command as typed, the verb once
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(_dir, "evaluation.json")))!;
        Assert.Equal(["none", "model"], json["assessors"]!.AsArray().Select(a => a!["name"]!.GetValue<string>()));
        Assert.Equal(["--Simulation:FailuresPerHostYear=300"], json["overrides"]!.AsArray().Select(o => o!.GetValue<string>()));
        // without prediction nothing is flagged, so nothing is evacuated for a prediction
        Assert.All(json["assessors"]![0]!["runs"]!.AsArray(), r => Assert.Equal(0, r!["hostsFlagged"]!.GetValue<int>()));
        Assert.Equal("svg", XDocument.Load(Path.Combine(_dir, "evaluation.svg")).Root!.Name.LocalName);
    }

    [Fact]
    public async Task Evaluate_BadOptions_ListsEveryErrorAndExits2()
    {
        var (code, _, stderr) = await CliConsole.RunAsync("evaluate", "--seeds", "9..3", "--assessors", "model,oracle", "--days", "0", "--out", _dir, "stray");

        Assert.Equal(2, code);
        Assert.Equal(
            "predictor evaluate: --seeds '9..3' ends before it starts (expected A..B with A <= B)\n" +
            "predictor evaluate: --assessors: unknown assessor 'oracle' (expected a comma-separated list of none, rules, model)\n" +
            "predictor evaluate: 'stray' is neither an option of evaluate nor a configuration override (--Section:Key=value)\n" +
            "predictor evaluate: --days must be above 0 and at most 365, got 0\n",
            stderr.ReplaceLineEndings("\n"));
        Assert.False(Directory.Exists(_dir));
    }

    [Fact]
    public async Task Dataset_TwoSeeds_HostsNamedBySeedEveryFeatureColumnAndCensoredRowsLeftOut()
    {
        Directory.CreateDirectory(_dir);
        var kept = Path.Combine(_dir, "kept.csv");
        var censored = Path.Combine(_dir, "censored.csv");

        var (code, stdout, _) = await CliConsole.RunAsync("dataset", "--hosts", "10", "--days", "1", "--seeds", "3..4", "--every", "6h", "--horizon", "12h", "--out", censored);
        var (keptCode, _, _) = await CliConsole.RunAsync("dataset", "--hosts", "10", "--days", "1", "--seeds", "3..4", "--every", "6h", "--horizon", "12h", "--out", kept, "--keep-censored");

        Assert.Equal((0, 0), (code, keptCode));
        Assert.Contains("in 2 fleet(s) of 1 days", stdout, StringComparison.Ordinal);
        var rows = File.ReadAllLines(censored);
        var header = rows[0].Split(',');
        Assert.Equal(["host", "time", .. FeatureNames.All], header.Take(2 + FeatureNames.All.Count));
        Assert.Contains("mem_ce_total.cp_martingale", header);
        // rows at 0, 6 and 12 h (a 12-hour horizon from 12 h still ends inside the day); 18 and 24 h are censored
        Assert.Equal(["2026-01-05T00:00:00Z", "2026-01-05T06:00:00Z", "2026-01-05T12:00:00Z"], rows.Skip(1).Select(r => r.Split(',')[1]).Distinct());
        Assert.Equal(["s3-", "s4-"], rows.Skip(1).Select(r => r[..3]).Distinct());
        Assert.Equal(5, File.ReadAllLines(kept).Skip(1).Select(r => r.Split(',')[1]).Distinct().Count());
    }

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }
}

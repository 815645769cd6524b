using System.Text.Json.Nodes;
using Predictor.Simulation.Evaluation;
using Predictor.Simulation.Scenarios;
using Predictor.Testing;

namespace Predictor.Simulation.Tests.Evaluation;

public sealed class FleetEvaluationTests
{
    private static readonly EvaluationPlan s_plan = new(new SeedRange(7, 8), 2, 100, EvaluatedAssessor.Known, ["--Risk:ModelRiskThreshold=0.97"]);

    [Fact]
    public async Task RunAsync_TwoSeedsThreeAssessors_EachRunChoosesItsSeedFleetAndAssessorLastAndFiguresArePooled()
    {
        var requests = new List<ScenarioRequest>();
        var lines = new List<string>();

        var report = await FleetEvaluation.RunAsync(s_plan, (request, _) =>
        {
            requests.Add(request);
            return Task.FromResult(Summary(request));
        }, new ManualTimeProvider(), lines.Add, CancellationToken.None);

        Assert.Equal(6, requests.Count);
        Assert.All(requests, r => Assert.Equal(TimeSpan.FromDays(2), r.Span));
        Assert.Equal(["--Risk:ModelRiskThreshold=0.97", "--Simulation:Seed=7", "--Simulation:Hosts=100", "--Risk:ModelPath=", "--Pipeline:RiskThreshold=1"], requests[0].Overrides);
        Assert.Equal(["--Risk:ModelRiskThreshold=0.97", "--Simulation:Seed=8", "--Simulation:Hosts=100"], requests[5].Overrides);
        Assert.Equal(6, lines.Count);
        Assert.StartsWith("evaluate: 6/6 seed 8 model: 1 false evacuations, 30 of 40 VMs on failing hosts evacuated before the failure, 10 interrupted", lines[^1], StringComparison.Ordinal);

        var model = report.Assessors.Single(a => a.Name == "model");
        // seed 7: 20 of 30 evacuated, seed 8: 30 of 40 → 50 of 70 pooled; per run 66.7% and 75%
        Assert.Equal(50.0 / 70, model.PooledEvacuatedShare, 12);
        Assert.Equal((2.0 / 3 + 0.75) / 2, model.EvacuatedShare.Mean, 12);
        // 2 + 1 false evacuations over 2 × 100 hosts × 2 days
        Assert.Equal(3 / 400.0 * 1000, model.PooledFalseEvacuationsPer1000HostDays, 12);
        // the runs without prediction interrupt 30 and 40 VMs; the model 10 each: 20 and 30 avoided, 50 of 70
        Assert.Equal((25.0, 2), (model.InterruptionsAvoided!.Mean, model.InterruptionsAvoided.Count));
        Assert.Equal(50.0 / 70, model.InterruptionsAvoidedShare!.Value, 12);
        // lead times 1 and 4 h (seed 7), 2 and 5 h (seed 8)
        Assert.Equal((4, 3.0), (model.LeadTimes.Count, model.LeadTimes.Median!.Value));
        Assert.Equal([0, 4, 0, 0, 0], model.LeadTimes.Bands.Select(b => b.Count));
        Assert.Equal("model host-failure.json", model.AssessorName);
    }

    [Fact]
    public async Task Writers_Report_MarkdownJsonAndSvgCarryTheFigures()
    {
        var report = await FleetEvaluation.RunAsync(s_plan, (request, _) => Task.FromResult(Summary(request)), new ManualTimeProvider(), null, CancellationToken.None);
        var md = new StringWriter();
        var json = new StringWriter();
        var svg = new StringWriter();

        EvaluationMarkdown.Write(report, "predictor evaluate --seeds 7..8", md);
        EvaluationJson.Write(report, "predictor evaluate --seeds 7..8", json);
        EvaluationSvg.Write(report, svg);

        Assert.Contains("| model | 71.4% (per run 70.8% ± 5.9%) | 10 ± 0 | 25 ± 7.1 (71%) | 7.5 (per run 7.5 ± 3.5) | 4 of 6 (2 without warning) |", md.ToString(), StringComparison.Ordinal);
        Assert.Contains("| 8 | none | 3 (1) | 0 | 0 of 40 | 40 |", md.ToString(), StringComparison.Ordinal);
        var root = JsonNode.Parse(json.ToString())!;
        Assert.Equal(0.714286, root["assessors"]![2]!["evacuatedShare"]!.GetValue<double>());
        Assert.Null(root["assessors"]![0]!["leadTimeHours"]!["median"]);
        Assert.Equal(2, root["assessors"]![2]!["runs"]!.AsArray().Count);
        var svgText = svg.ToString();
        Assert.StartsWith("<svg xmlns=\"http://www.w3.org/2000/svg\"", svgText, StringComparison.Ordinal);
        Assert.EndsWith("</svg>" + Environment.NewLine, svgText, StringComparison.Ordinal);
        // a dot per run in each of the two panels of figures per run
        Assert.Equal(2 * 6, svgText.Split("<circle").Length - 1);
        _ = System.Xml.Linq.XDocument.Parse(svgText);
    }

    [Theory]
    [InlineData("3001..3020", 3001, 3020)]
    [InlineData("5", 5, 5)]
    public void SeedRange_Parse_RangeOrOneSeed(string text, int first, int last)
    {
        var range = SeedRange.Parse(text, out var error);

        Assert.Equal((first, last, ""), (range!.First, range.Last, error));
    }

    [Theory]
    [InlineData("9..3", "'9..3' ends before it starts (expected A..B with A <= B)")]
    [InlineData("a..b", "'a..b' is not a seed range (expected A..B, e.g. 3001..3020, or one seed)")]
    [InlineData("1..20000", "'1..20000' holds 20000 seeds (expected at most 10000)")]
    public void SeedRange_Parse_Invalid_SaysWhy(string text, string expected)
    {
        Assert.Null(SeedRange.Parse(text, out var error));
        Assert.Equal(expected, error);
    }

    [Fact]
    public void ParseList_UnknownAssessor_NamesTheKnownOnes()
    {
        Assert.Null(EvaluatedAssessor.ParseList("model,oracle", out var error));
        Assert.Equal("unknown assessor 'oracle' (expected a comma-separated list of none, rules, model)", error);
        Assert.Equal(["rules", "model"], EvaluatedAssessor.ParseList("rules, model,rules", out _)!.Select(a => a.Name));
    }

    /// <summary>
    /// A run of a 100-host fleet over 2 days: without prediction every VM on a failing host is interrupted (30 on seed 7,
    /// 40 on seed 8); the rules and the model interrupt 10 and evacuate the rest, the model with fewer false evacuations.
    /// </summary>
    private static RunSummary Summary(ScenarioRequest request)
    {
        var seed = int.Parse(request.Overrides.First(o => o.StartsWith("--Simulation:Seed=", StringComparison.Ordinal))["--Simulation:Seed=".Length..], System.Globalization.CultureInfo.InvariantCulture);
        var assessor = request.Overrides.Contains("--Pipeline:RiskThreshold=1") ? "none" : request.Overrides.Contains("--Pipeline:BlastRadiusMaxShare=1") ? "rules" : "model";
        var onFailing = seed == 7 ? 30 : 40;
        var predicting = assessor != "none";
        return new RunSummary
        {
            Assessor = assessor == "model" ? "model host-failure.json" : "rules",
            Simulated = request.Span,
            Hosts = 100,
            Vms = 700,
            InjectedFailures = 3,
            FailuresWithoutWarning = 1,
            FailuresPredictedAhead = predicting ? 2 : 0,
            LeadTimes = predicting ? [TimeSpan.FromHours(seed - 6), TimeSpan.FromHours(seed - 3)] : [],
            VmsEvacuatedBeforeFailure = predicting ? onFailing - 10 : 0,
            VmInterruptions = predicting ? 10 : onFailing,
            HostsFlagged = predicting ? 5 : 0,
            FalsePositiveEvacuations = assessor == "rules" ? 9 : assessor == "model" ? 9 - seed : 0,
            LiveMigrations = 50,
            ColdMigrations = 2,
            FailedSteps = 0,
            TotalBlackout = TimeSpan.FromSeconds(100),
            MaxLiveMigrationBlackout = TimeSpan.FromMilliseconds(300),
            MemoryPreservingUpdates = 0,
            HotPatches = 0,
            EmptiedHostUpdates = 0,
            SelfServiceScheduled = 0,
            SelfServiceApplied = 0,
            UnplacedVms = 0,
        };
    }
}

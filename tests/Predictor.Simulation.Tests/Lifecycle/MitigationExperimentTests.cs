using System.Text.Json.Nodes;
using Predictor.Daemon.Retraining;
using Predictor.Simulation.Lifecycle;

namespace Predictor.Simulation.Tests.Lifecycle;

/// <summary>
/// A tiny mitigation experiment (few hosts, a day and a quarter per fleet, small models): the report has a row per
/// generation and policy, and the policies differ as the approach claims — repair-diagnosis labels keep the evacuated
/// failing hosts' rows as positives that naive labels turn into negatives.
/// </summary>
public sealed class MitigationExperimentTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "mitigation-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    [Fact]
    public void Run_TinyFleets_ReportsEveryGenerationAndRepairDiagnosisKeepsThePositivesNaiveLabelsLose()
    {
        var options = new MitigationExperimentOptions
        {
            Generations = 1,
            Hosts = 24,
            Days = 1.25,
            FailuresPerHostYear = 150,
            FirstSeed = 41,
            HeldOutSeed = 40,
            Threshold = 0.5,
            DecisionEvery = TimeSpan.FromHours(1),
            RowEvery = TimeSpan.FromHours(1),
            Recipe = new HostModelRecipe { Trees = 20, MinExamplesPerLeaf = 5, HorizonHours = 12, Threads = 1 },
            WorkDirectory = _dir,
        };

        var results = MitigationExperiment.Run(options, TimeProvider.System);

        Assert.Equal(4, results.Count);
        Assert.Equal([0, 0, 1, 1], results.Select(r => r.Generation));
        Assert.Equal(2, results.Count(r => r.Policy == LabelPolicy.Naive));
        Assert.All(results, r => Assert.Equal(41 + r.Generation + 1, r.DeployedOnSeed));
        Assert.All(results, r => Assert.Equal(30, r.HostDays, 6));
        // generation 0 is one model, trained before anything was mitigated, deployed once
        var first = results.Where(r => r.Generation == 0).ToArray();
        Assert.Equal(first[0] with { Policy = LabelPolicy.RepairDiagnosis }, first[1]);
        Assert.True(first[0].FailuresCaught > 0, "the first model should evacuate failing hosts, or there is nothing to label");
        // what the approach claims: the hosts a model evacuated keep their positives under repair diagnosis (the repair
        // found the failing part), while naive labels make every evacuated host a negative
        var later = results.Where(r => r.Generation > 0).ToArray();
        Assert.All(later.Where(r => r.Policy == LabelPolicy.Naive), r => Assert.Equal(0, r.TrainingPositivesOfEvacuatedHosts));
        Assert.All(later.Where(r => r.Policy == LabelPolicy.RepairDiagnosis), r => Assert.InRange(r.TrainingPositivesOfEvacuatedHosts, 1, r.TrainingPositives));
        Assert.All(first, r => Assert.Equal(0, r.TrainingPositivesOfEvacuatedHosts));

        using var md = new StringWriter();
        MitigationReport.WriteMarkdown(options, results, "predictor mitigation-experiment --tiny", md);
        var lines = md.ToString().ReplaceLineEndings("\n").Split('\n');
        Assert.StartsWith("# Retraining with mitigation on: 1 generations, 24 hosts × 1.25 days per fleet", lines[0], StringComparison.Ordinal);
        Assert.Equal(2, lines.Count(l => l.Length > 2 && l[0] == '|' && char.IsDigit(l[2])));
        using var json = new StringWriter();
        MitigationReport.WriteJson(options, results, "predictor mitigation-experiment --tiny", json);
        var rows = JsonNode.Parse(json.ToString())!["results"]!.AsArray();
        Assert.Equal(4, rows.Count);
        Assert.Equal(["naive", "repair-diagnosis"], rows.Select(r => r!["policy"]!.GetValue<string>()).Distinct().Order());
        Assert.True(File.Exists(Path.Combine(_dir, "gen1-repairdiagnosis.json")));
    }
}

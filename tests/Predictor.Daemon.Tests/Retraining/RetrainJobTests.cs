using Microsoft.Extensions.Logging.Abstractions;
using Predictor.Daemon.Datasets;
using Predictor.Daemon.Outcomes;
using Predictor.Daemon.Retraining;
using Predictor.Learning.Lifecycle;
using Predictor.Testing;
using Predictor.Testing.Outcomes;

namespace Predictor.Daemon.Tests.Retraining;

/// <summary>One retrain run after another over the same outcome log: promote, keep, dry run, refuse.</summary>
public sealed class RetrainJobTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("predictor-retrain-").FullName;
    private readonly ManualTimeProvider _clock = new(new DateTimeOffset(2026, 2, 1, 0, 0, 0, TimeSpan.Zero));

    public RetrainJobTests()
    {
        using var log = new SqliteOutcomeLog(LogPath);
        SyntheticHostHistory.Write(log);
    }

    private string LogPath => Path.Combine(_directory, "predictor-outcomes.db");

    private string RegistryPath => Path.Combine(_directory, "registry");

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task RunAsync_FirstRunThenTheSameDataAgain_PromotesThenKeepsTheChampion()
    {
        var first = await RunAsync();

        Assert.True(first.ExitCode == RetrainExitCodes.Promoted, string.Join("\n", first.Summary));
        var registry = new ModelRegistry(RegistryPath);
        Assert.Equal("v0001", registry.Promoted()!.Id);
        var lineage = Lineage.FromJson(File.ReadAllText(registry.Promoted()!.LineagePath));
        Assert.Null(lineage.Parent);
        Assert.Equal(1, lineage.Seed);
        Assert.Equal(48, lineage.Dataset.HorizonHours);
        Assert.Equal(1, lineage.Dataset.RowIntervalHours);
        // the slice is the newest week of rows whose 48 h are observed; training rows end a horizon before it
        Assert.Equal(SyntheticHostHistory.Start.AddDays(16 - 2 - 7), lineage.Dataset.TestFrom);
        Assert.True(lineage.Dataset.Gap > 0 && lineage.Dataset.TestPositives > 0 && lineage.Dataset.TrainPositives > 0);
        Assert.True(lineage.Challenger.Point.Recall >= 0.5, $"recall {lineage.Challenger.Point.Recall}");
        Assert.StartsWith("# Model card: v0001\n\n**Promoted**", File.ReadAllText(registry.Promoted()!.CardPath), StringComparison.Ordinal);

        var second = await RunAsync();

        Assert.Equal(RetrainExitCodes.KeptChampion, second.ExitCode);
        Assert.Equal("v0002", second.Version);
        Assert.Equal("v0001", registry.Promoted()!.Id);
        Assert.Equal(["v0001", "v0002"], registry.Versions().Select(v => v.Id));
        var kept = Lineage.FromJson(File.ReadAllText(registry.Versions()[1].LineagePath));
        Assert.Equal("v0001", kept.Parent);
        Assert.Equal(kept.Challenger.Point.Caught, kept.Champion!.Point.Caught); // same data, same seed: the same model
        Assert.StartsWith("not better at 5 false evacuations per 1,000 host-days", Assert.Single(kept.Decision.Reasons), StringComparison.Ordinal);
        Assert.Equal(2, File.ReadAllLines(Path.Combine(RegistryPath, ModelRegistry.HistoryFile)).Length);
    }

    [Fact]
    public async Task RunAsync_DryRun_DecidesButWritesNothing()
    {
        var result = await RunAsync(dryRun: true);

        Assert.Equal(RetrainExitCodes.Promoted, result.ExitCode);
        Assert.Null(result.Version);
        Assert.Contains("challenger (dry run): would be promoted", result.Summary);
        Assert.False(Directory.Exists(RegistryPath));
    }

    [Fact]
    public async Task RunAsync_ChampionWithAnotherHorizon_IsNotReplaced()
    {
        Assert.Equal(RetrainExitCodes.Promoted, (await RunAsync()).ExitCode);

        var result = await RunAsync(horizon: TimeSpan.FromHours(24));

        Assert.Equal(RetrainExitCodes.KeptChampion, result.ExitCode);
        Assert.Contains("  the challenger's horizon (24 h) differs from the champion's (48 h): their probabilities do not mean the same", result.Summary);
        Assert.Equal("v0001", new ModelRegistry(RegistryPath).Promoted()!.Id);
    }

    [Fact]
    public async Task RunAsync_TestSliceWithoutFailures_KeepsTheChampionWithoutTraining()
    {
        // the last failure is at 368 h: with a 12 h horizon the rows of (370 h, 372 h] see none
        var result = await RunAsync(horizon: TimeSpan.FromHours(12), testSpan: TimeSpan.FromHours(2));

        Assert.Equal((RetrainExitCodes.KeptChampion, null), (result.ExitCode, result.Version));
        Assert.Contains("no evidence to compare models on", Assert.Single(result.Summary), StringComparison.Ordinal);
        Assert.Empty(new ModelRegistry(RegistryPath).Versions());
    }

    private Task<RetrainResult> RunAsync(bool dryRun = false, TimeSpan? horizon = null, TimeSpan? testSpan = null) =>
        new RetrainJob(_clock, NullLogger.Instance).RunAsync(new RetrainRequest
        {
            RegistryPath = RegistryPath,
            Data = new DatasetSource { LogPath = LogPath },
            Horizon = horizon,
            TestSpan = testSpan ?? TimeSpan.FromDays(7),
            Threads = 2,
            DryRun = dryRun,
        }, null, CancellationToken.None);
}

using Predictor.Core.Outcomes;
using Predictor.Core.Telemetry;
using Predictor.Daemon.Datasets;
using Predictor.Daemon.Outcomes;
using Predictor.Simulation;
using Predictor.Tests.Daemon.Telemetry;

namespace Predictor.Tests.Daemon.Lifecycle;

/// <summary>
/// No train/serve skew: the rows a replay of stored telemetry rebuilds are the features the daemon computed live and
/// logged, value for value.
/// </summary>
public sealed class FeatureReplayTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("predictor-replay-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Replay_OfWhatTheDaemonIngested_GivesTheRowsItLoggedLive()
    {
        var logPath = Path.Combine(_directory, "outcomes.db");
        var run = await ScenarioRun.RunAsync(TimeSpan.FromDays(1), $"--Outcomes:Path={logPath}");

        using var log = new SqliteOutcomeLog(logPath);
        var live = log.Features().ToList();
        var replayed = await new TelemetryReplay(new ReplaySettings())
            .RunAsync(new StoredSimulatorTelemetry(run.Fleet), run.Fleet.Options.Start, log.LatestFeaturesAt()!.Value, TimeSpan.FromHours(1), CancellationToken.None)
            .ToListAsync();

        ReplayAssert.SameRows(live, replayed, run.Fleet.Failures.ToDictionary(f => f.Host, f => f.FailsAt, StringComparer.Ordinal));
        // what the daemon learned is in the log too: the failures it saw and the hosts it evacuated on a prediction
        var outcomes = log.Outcomes();
        Assert.Equal(run.Failed, outcomes.Where(o => o.Kind == OutcomeKind.Failed).Select(o => o.Host).Order(StringComparer.Ordinal));
        Assert.Equal(run.Flagged, outcomes.Where(o => o.Kind == OutcomeKind.Evacuated).Select(o => o.Host).Order(StringComparer.Ordinal));
        Assert.All(outcomes.Where(o => o.Kind == OutcomeKind.Evacuated), o => Assert.StartsWith("sha256:", o.ModelVersion, StringComparison.Ordinal));
    }

    /// <summary>What an in-process daemon ingested of the simulator: the start's sample (its warm-up) and every later one.</summary>
    private sealed class StoredSimulatorTelemetry(SimulatedFleet fleet) : IRawTelemetry
    {
        public string Description => "the simulator";

        public Task ReadAsync(DateTimeOffset after, DateTimeOffset until, ITelemetrySink sink, CancellationToken cancellationToken)
        {
            fleet.EmitTelemetry(after, until, sink);
            return Task.CompletedTask;
        }
    }
}

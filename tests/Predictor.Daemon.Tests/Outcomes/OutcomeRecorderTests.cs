using System.Collections.Frozen;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Testing;
using Predictor.Core.Inventory;
using Predictor.Core.Outcomes;
using Predictor.Core.Risk;
using Predictor.Daemon.Outcomes;
using Predictor.Daemon.Tests.Support;

namespace Predictor.Daemon.Tests.Outcomes;

public sealed class OutcomeRecorderTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("predictor-recorder-").FullName;

    private string LogPath => Path.Combine(_directory, "predictor-outcomes.db");

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Pipeline_ThreeHours_RecordsFeaturesHourlyAFailureAnEvacuationAndAnOperatorsRepair()
    {
        using var log = new SqliteOutcomeLog(LogPath);
        var recorder = new OutcomeRecorder(log, new OutcomeLogOptions(), NullLogger.Instance);
        await using var harness = new PipelineHarness(ScriptedDatacenter.SmallInventory(), recorder: recorder);
        harness.Datacenter.DiskPrecursor("h1", harness.Start);
        harness.FailAt("h2", harness.Start.AddMinutes(92));

        await harness.RunUntilAsync(harness.Start.AddHours(3));

        // one row per watched host with fresh telemetry at the first pass of each hour (h2 is dead from 1:32)
        var rows = log.Features().ToList();
        Assert.Equal([harness.Start, harness.Start.AddHours(1), harness.Start.AddHours(2)], rows.Select(r => r.At).Distinct());
        Assert.Equal(6 + 6 + 5, rows.Count);
        Assert.Equal(4, rows.Single(r => r.Host == "h1" && r.At == harness.Start.AddHours(2)).Get(FeatureNames.SmartReallocatedMax));
        var outcomes = log.Outcomes();
        var evacuated = Assert.Single(outcomes, o => o.Kind == OutcomeKind.Evacuated);
        Assert.Equal(("h1", "rules", HostOutcome.DaemonSource), (evacuated.Host, evacuated.ModelVersion, evacuated.Source));
        Assert.True(evacuated.Probability >= 0.5);
        var failed = Assert.Single(outcomes, o => o.Kind == OutcomeKind.Failed);
        Assert.Equal(("h2", harness.Start.AddMinutes(95), "reported failed by its hypervisor"), (failed.Host, failed.At, failed.Detail));

        var (recorded, repair) = harness.Pipeline.RecordOutcome(new HostOutcome("h1", harness.Clock.GetUtcNow(), OutcomeKind.Repaired, "disk:sda", Source: "api:oncall"));

        // a repair record, not a release: the host stays out until clean assessments follow it (issue 16's lifecycle)
        Assert.True(recorded);
        Assert.Equal(("h1", "repaired (api:oncall, disk:sda)"), (repair!.Host, repair.Reason));
        Assert.Contains("h1", harness.Pipeline.Quarantined);
        Assert.Equal([OutcomeKind.Evacuated, OutcomeKind.Failed, OutcomeKind.Repaired], log.Outcomes().Select(o => o.Kind));
    }

    [Fact]
    public void RecordPass_RestartedDaemon_RecordsNeitherAKnownFailureNorTheSameHourAgain()
    {
        var now = new DateTimeOffset(2026, 1, 5, 10, 20, 0, TimeSpan.Zero);
        var failed = Inventory(HostState.Failed);
        using (var log = new SqliteOutcomeLog(LogPath))
        {
            new OutcomeRecorder(log, new OutcomeLogOptions(), NullLogger.Instance).RecordPass(now, [Features("h1", now)], failed, [], "rules", false);
        }

        using var reopened = new SqliteOutcomeLog(LogPath);
        var restarted = new OutcomeRecorder(reopened, new OutcomeLogOptions(), NullLogger.Instance);
        restarted.RecordPass(now.AddMinutes(5), [Features("h1", now.AddMinutes(5))], failed, [], "rules", false);
        restarted.RecordPass(now.AddMinutes(45), [Features("h1", now.AddMinutes(45))], Inventory(HostState.Active), [], "rules", false);

        Assert.Equal([now, now.AddMinutes(45)], reopened.Features().Select(f => f.At));
        Assert.Equal([OutcomeKind.Failed, OutcomeKind.Repaired], reopened.Outcomes().Select(o => o.Kind));
    }

    [Fact]
    public void Reload_ASharedLogAnotherLeaderWrote_TheNewLeaderRecordsNeitherItsFailureNorItsHourAgain()
    {
        var now = new DateTimeOffset(2026, 1, 5, 10, 20, 0, TimeSpan.Zero);
        using var log = new SqliteOutcomeLog(LogPath);
        var first = new OutcomeRecorder(log, new OutcomeLogOptions(), NullLogger.Instance);
        var second = new OutcomeRecorder(log, new OutcomeLogOptions(), NullLogger.Instance);
        // the second daemon led once, when h1 was active; then the first led and saw h1 fail
        second.RecordPass(now.AddHours(-2), [Features("h1", now.AddHours(-2))], Inventory(HostState.Active), [], "rules", false);
        first.RecordPass(now, [Features("h1", now)], Inventory(HostState.Failed), [], "rules", false);

        // the second takes over: it reads the shared log again
        second.Reload();
        second.RecordPass(now.AddMinutes(5), [Features("h1", now.AddMinutes(5))], Inventory(HostState.Failed), [], "rules", false);

        Assert.Equal([OutcomeKind.Failed], log.Outcomes().Select(o => o.Kind));
        Assert.Equal([now.AddHours(-2), now], log.Features().Select(f => f.At));
    }

    [Fact]
    public void Record_LogNotWritable_KeepsTheOutcomeAndWritesItWhenTheLogIsBack()
    {
        var log = new FlakyLog();
        var logger = new FakeLogger();
        var recorder = new OutcomeRecorder(log, new OutcomeLogOptions(), logger);
        var outcome = new HostOutcome("h1", new DateTimeOffset(2026, 1, 5, 0, 0, 0, TimeSpan.Zero), OutcomeKind.Failed, Source: "ticket");

        log.Broken = true;
        Assert.False(recorder.Record(outcome));
        Assert.Equal(1, recorder.Pending);
        Assert.Contains("1 outcomes are kept in memory and written at the next pass: disk I/O error", logger.LatestRecord.Message, StringComparison.Ordinal);

        log.Broken = false;
        recorder.RecordPass(outcome.At.AddMinutes(5), [], Inventory(HostState.Active), [], "rules", false);

        Assert.Equal(0, recorder.Pending);
        Assert.Equal([outcome], log.Written);
    }

    [Theory]
    [InlineData("{\"at\": \"2026-01-05T08:00:00Z\", \"component\": \"dimm:A3\", \"cause\": \"memory-uncorrectable\", \"source\": \"RMA\"}", null)]
    [InlineData("{\"at\": \"yesterday\"}", "at: not an ISO 8601 time with a zone (got 'yesterday'; expected e.g. 2026-01-05T10:00:00Z)")]
    [InlineData("{\"at\": \"2026-01-06T00:00:00Z\"}", "at: 2026-01-06 00:00:00Z is in the future (now 2026-01-05 10:00:00Z)")]
    [InlineData("{\"component\": 3}", "component: expected a string, got number")]
    [InlineData("{\"comp\": \"x\"}", "comp: unknown field; expected at, component, cause, source or detail")]
    [InlineData("[1]", "expected an object like {\"at\": \"2026-01-05T10:00:00Z\", \"component\": \"disk:sdb\", \"cause\": \"disk-media\", \"source\": \"ticket\"}, got array")]
    public void FromRequest_Body_IsReadOrRefusedNamingTheField(string json, string? error)
    {
        var now = new DateTimeOffset(2026, 1, 5, 10, 0, 0, TimeSpan.Zero);
        using var body = JsonDocument.Parse(json);

        var (outcome, problem) = OutcomeRecorder.FromRequest("h1", OutcomeKind.Failed, body.RootElement, "oncall", now);

        Assert.Equal(error, problem);
        if (error is null)
        {
            Assert.Equal(new HostOutcome("h1", now.AddHours(-2), OutcomeKind.Failed, "dimm:A3", "memory-uncorrectable", "RMA"), outcome);
        }
    }

    [Fact]
    public void FromRequest_NoBody_IsAFailureNowFromTheCaller() =>
        Assert.Equal(
            new HostOutcome("h1", DateTimeOffset.UnixEpoch, OutcomeKind.Repaired, Source: "api:oncall"),
            OutcomeRecorder.FromRequest("h1", OutcomeKind.Repaired, null, "oncall", DateTimeOffset.UnixEpoch).Outcome);

    private static DatacenterInventory Inventory(HostState state) =>
        DatacenterInventory.Create("dc1", [new Host("h1", "r1", 0, 0, 4, 32, 256, 2000, 25, state)], []);

    private static HostFeatures Features(string host, DateTimeOffset at) =>
        new(host, at, at, new Dictionary<string, double> { [FeatureNames.CpuTemperatureLast] = 50 }.ToFrozenDictionary());

    /// <summary>A log whose writes fail while <see cref="Broken"/>, as SQLite does when the disk fails.</summary>
    private sealed class FlakyLog : IOutcomeLog
    {
        public bool Broken { get; set; }

        public List<HostOutcome> Written { get; } = [];

        public bool Append(HostOutcome outcome) => AppendRange([outcome]) == 1;

        public int AppendRange(IReadOnlyCollection<HostOutcome> outcomes)
        {
            if (Broken)
            {
                throw new SqliteException("disk I/O error", 10);
            }

            Written.AddRange(outcomes);
            return outcomes.Count;
        }

        public void AppendFeatures(IReadOnlyCollection<HostFeatures> hosts)
        {
        }

        public IReadOnlyList<HostOutcome> Outcomes(DateTimeOffset? from = null, DateTimeOffset? to = null, string? host = null) => Written;

        public IEnumerable<HostFeatures> Features(DateTimeOffset? from = null, DateTimeOffset? to = null) => [];

        public DateTimeOffset? LatestFeaturesAt() => null;

        public (int Features, int Outcomes) Prune(DateTimeOffset featuresBefore, DateTimeOffset outcomesBefore) => (0, 0);
    }
}

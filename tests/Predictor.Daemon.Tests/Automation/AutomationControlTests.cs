using System.Collections.Immutable;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging.Abstractions;
using Predictor.Core.Inventory;
using Predictor.Core.Risk;
using Predictor.Daemon.Automation;
using Predictor.Execution.Executor;
using Predictor.Execution.Hypervisors.Simulated;
using Predictor.Execution.Journal;
using Predictor.Testing;
using Predictor.Testing.Alerts;
using Predictor.Testing.Metrics;

namespace Predictor.Daemon.Tests.Automation;

public sealed class AutomationControlTests : IAsyncLifetime
{
    private readonly ManualTimeProvider _clock = new();
    private readonly SqliteExecutionJournal _journal = new(":memory:");
    private readonly CollectingAlertPublisher _alerts = new();
    private readonly DatacenterInventory _inventory = DatacenterInventory.Create(
        "dc", Enumerable.Range(1, 40).Select(i => new Host($"h{i:00}", "r1", i, i, 3, 16, 64, 500, 10, i == 40 ? HostState.Failed : HostState.Active)), []);

    private PlanExecutor _executor = null!;

    public Task InitializeAsync()
    {
        _executor = new PlanExecutor(new SimulatedHypervisor(_inventory, _clock), _journal, new ExecutorOptions(), _clock, NullLogger<PlanExecutor>.Instance);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _executor.DisposeAsync();
        _journal.Dispose();
    }

    [Theory]
    [InlineData(2, false)] // 2 of 39 watched hosts: 5.1% > 5%, but fewer than the minimum of 3
    [InlineData(3, true)]  // 3 of 39: 7.7%
    public async Task EvaluatePassAsync_DefaultGuard_TripsOnShareAndMinimumTogether(int flagged, bool trips)
    {
        var control = Create(new BlastRadiusOptions());

        var stopped = await control.EvaluatePassAsync(Flags(flagged), _inventory, _clock.GetUtcNow(), CancellationToken.None);

        Assert.Equal(trips, stopped);
        Assert.Equal(trips, _executor.Paused);
        Assert.Equal(trips ? 1 : 0, _alerts.Published.Count);
    }

    [Fact]
    public async Task EvaluatePassAsync_FailedHostInFleet_ShareIsOfWatchedHostsOnly()
    {
        // 39 watched hosts (the failed one does not count): 0.1 × 39 = 3.9, so 4 flagged trip (of all 40 they would not)
        var control = Create(new BlastRadiusOptions { BlastRadiusMaxShare = 0.1, BlastRadiusMinHosts = 1 });

        Assert.False(await control.EvaluatePassAsync(Flags(3), _inventory, _clock.GetUtcNow(), CancellationToken.None));
        Assert.True(await control.EvaluatePassAsync(Flags(4), _inventory, _clock.GetUtcNow(), CancellationToken.None));
        Assert.Equal("39", Assert.Single(_alerts.Published).Details["hosts"]);
    }

    [Fact]
    public async Task EvaluatePassAsync_FlagsOlderThanWindow_AreForgotten()
    {
        var control = Create(new BlastRadiusOptions { BlastRadiusMaxShare = 0, BlastRadiusMinHosts = 2, BlastRadiusWindow = TimeSpan.FromMinutes(30) });

        await control.EvaluatePassAsync(Flags(1), _inventory, _clock.GetUtcNow(), CancellationToken.None);
        _clock.Advance(TimeSpan.FromMinutes(30));
        var stopped = await control.EvaluatePassAsync([Flag("h20")], _inventory, _clock.GetUtcNow(), CancellationToken.None);

        Assert.False(stopped);
    }

    [Fact]
    public async Task EvaluatePassAsync_GuardTripped_CountsTripAndGaugeReportsState()
    {
        // only this test's meters: daemons started by other tests publish the same instruments
        using var meters = new TestMeterFactory();
        var control = Create(new BlastRadiusOptions(), meters);
        using var trips = meters.Collect<long>(AutomationMetrics.MeterName, "predictor.automation.guard.trips");
        using var gauge = meters.Collect<int>(AutomationMetrics.MeterName, "predictor.automation.stopped");

        await control.EvaluatePassAsync(Flags(5), _inventory, _clock.GetUtcNow(), CancellationToken.None);
        await control.EvaluatePassAsync(Flags(8), _inventory, _clock.GetUtcNow(), CancellationToken.None);
        gauge.RecordObservableInstruments();

        Assert.Equal(1, trips.GetMeasurementSnapshot().Sum(m => m.Value));
        Assert.Equal([(1, "guard-tripped")], gauge.GetMeasurementSnapshot().Select(m => (m.Value, (string)m.Tags["state"]!)));
        Assert.Single(_alerts.Published);
    }

    private AutomationControl Create(BlastRadiusOptions guard, IMeterFactory? meters = null) =>
        new(_executor, _alerts, new AutomationOptions(), guard, _clock, NullLogger<AutomationControl>.Instance, meters);

    private List<RiskAssessment> Flags(int count) => [.. Enumerable.Range(1, count).Select(i => Flag($"h{i:00}"))];

    private RiskAssessment Flag(string host) => new(host, _clock.GetUtcNow(), 0.9, TimeSpan.FromDays(2), null, ImmutableArray<Evidence>.Empty, "test");
}

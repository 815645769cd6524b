using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Predictor.Core.Risk;
using Predictor.Daemon.Telemetry;
using Predictor.Simulation;
using Predictor.Simulation.Scenarios;

namespace Predictor.Tests.Daemon.Telemetry;

/// <summary>What a scenario run decided: the hosts it flagged, the hosts that failed, and the telemetry status at its end.</summary>
internal sealed record ScenarioOutcome(string[] Flagged, string[] Failed, TelemetryStatusSnapshot Telemetry, string Summary, int Steps, SimulatedFleet Fleet, DateTimeOffset End);

/// <summary>Runs <c>predictor run --for</c> in process, uncapped (the virtual clock makes the outcome independent of speed).</summary>
internal static class ScenarioRun
{
    /// <summary>A small, failure-heavy datacenter, so a one-day scenario sees several failures with precursors.</summary>
    public static readonly string[] SmallFleet = ["--Simulation:Hosts=20", "--Simulation:FailuresPerHostYear=200", "--Logging:LogLevel:Default=None"];

    private static readonly Lazy<Task<ScenarioOutcome>> s_inProcessDay = new(() => RunAsync(TimeSpan.FromDays(1)));

    /// <summary>The one-day in-process run the telemetry paths are compared with, run once per test process.</summary>
    public static Task<ScenarioOutcome> InProcessDayAsync() => s_inProcessDay.Value;

    public static async Task<ScenarioOutcome> RunAsync(TimeSpan span, params string[] overrides)
    {
        await using var app = DaemonComposition.Build(new RunSettings(span, 1e9, null, [.. SmallFleet, .. overrides], false));
        var errors = DaemonComposition.ValidateConfiguration(app.Services);
        Assert.True(errors.Count == 0, string.Join(Environment.NewLine, errors));
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await app.StartAsync(timeout.Token);
        await app.WaitForShutdownAsync(timeout.Token);
        Assert.False(timeout.IsCancellationRequested, "the scenario did not finish within 2 minutes");
        var recorder = app.Services.GetRequiredService<RunRecorder>();
        var end = app.Services.GetRequiredService<ScenarioDriver>().End;
        var failed = app.Services.GetRequiredService<SimulatedFleet>().Failures.Where(f => f.FailsAt <= end).Select(f => f.Host).Order(StringComparer.Ordinal).ToArray();
        var summary = new StringWriter();
        RunSummary.Build(app.Services.GetRequiredService<SimulatedFleet>(), recorder, app.Services.GetRequiredService<IRiskAssessor>().Name, end).Render(summary);
        return new ScenarioOutcome(
            [.. recorder.Flagged.Keys.Order(StringComparer.Ordinal)],
            failed,
            app.Services.GetRequiredService<TelemetryStatus>().Snapshot(),
            summary.ToString(),
            recorder.Steps.Count(),
            app.Services.GetRequiredService<SimulatedFleet>(),
            end);
    }
}

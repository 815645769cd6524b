using Predictor.Testing.Telemetry;

namespace Predictor.Simulation.Tests.Signals;

public sealed class FailureInjectionTests
{
    [Fact]
    public void Failures_Default_InsidePeriodAfterWarmUpOrderedOnePerHost()
    {
        var fleet = SimulatedFleet.Create(new SimulationOptions { FailuresPerHostYear = 200 });
        var failures = fleet.Failures;

        Assert.NotEmpty(failures);
        Assert.All(failures, f => Assert.InRange(f.FailsAt, fleet.Options.Start + TimeSpan.FromHours(2), fleet.Options.End));
        Assert.Equal(failures.OrderBy(f => f.FailsAt), failures);
        Assert.Equal(failures.Count, failures.Select(f => f.Host).Distinct().Count());
        Assert.All(failures, f => Assert.True(f.PrecursorStart is null || f.PrecursorStart < f.FailsAt));
        Assert.All(failures, f => Assert.Matches("^(disk:sd[a-f]|dimm:[AB][1-8]|fan:[1-6]|psu:[12])$", f.Component));
    }

    [Fact]
    public void Failures_ManySeeds_CountMatchesRateAndNoWarningShareHonoured()
    {
        var fleets = Enumerable.Range(1, 40).Select(seed => SimulatedFleet.Create(new SimulationOptions { Seed = seed })).ToList();
        var all = fleets.SelectMany(f => f.Failures).ToList();

        // 200 hosts × 15 per host-year × 46 h / 8766 h ≈ 15.7 failures per run.
        Assert.InRange(all.Count / 40.0, 14.0, 17.5);
        Assert.InRange(all.Count(f => f.PrecursorStart is null) / (double)all.Count, 0.20, 0.30);
        Assert.Equal(4, all.Select(f => f.Cause).Distinct().Count());
        Assert.Contains(all, f => f.PrecursorStart < fleets[0].Options.Start);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    public void Failures_NoWarningShareAtBounds_AllOrNoneWarned(double share)
    {
        var failures = SimulatedFleet.Create(new SimulationOptions { NoWarningShare = share, FailuresPerHostYear = 500 }).Failures;

        Assert.NotEmpty(failures);
        Assert.All(failures, f => Assert.Equal(share == 1.0, f.PrecursorStart is null));
    }

    [Fact]
    public void Failures_ZeroRateOrPeriodWithinWarmUp_None()
    {
        Assert.Empty(SimulatedFleet.Create(new SimulationOptions { FailuresPerHostYear = 0 }).Failures);
        Assert.Empty(SimulatedFleet.Create(new SimulationOptions { FailuresPerHostYear = 5000, Duration = TimeSpan.FromHours(2) }).Failures);
    }

    [Fact]
    public void EmitTelemetry_FailedHost_EmitsNothingAtOrAfterFailure()
    {
        var fleet = Fleets.Failing();
        var failsAt = fleet.Failures.ToDictionary(f => f.Host, f => f.FailsAt);
        var last = new Dictionary<string, DateTimeOffset>();
        var sink = new CollectingSink(s => s.Signal == Core.Telemetry.SignalNames.CpuLoad);

        fleet.EmitTelemetry(fleet.Options.Start - TimeSpan.FromMinutes(5), fleet.Options.End, sink);
        foreach (var s in sink.Samples)
        {
            last[s.Host] = s.Time;
        }

        Assert.True(failsAt.Count > 100);
        foreach (var (host, when) in failsAt)
        {
            Assert.True(last[host] < when, $"{host} emitted at {last[host]:o}, failed at {when:o}");
            Assert.True(when - last[host] <= fleet.Options.TelemetryInterval, $"{host} stopped early");
        }
    }
}

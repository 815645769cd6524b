using Microsoft.Extensions.Logging.Abstractions;
using Predictor.Simulation.Scenarios;
using Predictor.Testing;

namespace Predictor.Simulation.Tests.Scenarios;

public sealed class SimulatedWorldTests
{
    [Fact]
    public void HostFails_HaRestartsItsVms_NeverOnAHostTheDaemonQuarantined()
    {
        var fleet = SimulatedFleet.Create(new SimulationOptions { Hosts = 60, Duration = TimeSpan.FromDays(4), Seed = 3 });
        var first = fleet.Failures.OrderBy(f => f.FailsAt).First();
        var clock = new ManualTimeProvider(fleet.Options.Start);
        // half the fleet is quarantined: HA must leave those hosts alone even where they have the most room
        var quarantined = fleet.Inventory.Hosts.Where((h, i) => i % 2 == 0 && h.Id != first.Host).Select(h => h.Id).ToHashSet(StringComparer.Ordinal);
        using var world = new SimulatedWorld(fleet, fleet.Options.Start, clock, NullLogger<SimulatedWorld>.Instance) { MayRestartOn = h => !quarantined.Contains(h) };
        var victims = world.Inventory().VmsOn(first.Host).Select(v => v.Id).ToList();
        Assert.NotEmpty(victims);

        clock.AdvanceTo(first.FailsAt);

        var after = world.Inventory();
        var restarted = victims.Where(v => after.TryGetVm(v, out var vm) && vm.Host != first.Host).Select(v => after.GetVm(v).Host).ToList();
        Assert.NotEmpty(restarted);
        Assert.DoesNotContain(restarted, quarantined.Contains);
    }
}

using Predictor.Core.Plans;
using Predictor.Planning.Ladder;
using static Predictor.Planning.Tests.Support.Build;

namespace Predictor.Planning.Tests.Ladder;

public class LadderPolicyTests
{
    // Series: general (live, memory-preserving), hpc (live, not preserving), gpu (neither), storage (preserving, not live).
    [Theory]
    [InlineData(UpdateKind.HotPatchable, "general", "none", VmRung.HotPatch)]
    [InlineData(UpdateKind.HotPatchable, "hpc", "none", VmRung.HotPatch)]
    [InlineData(UpdateKind.HotPatchable, "gpu", "slot", VmRung.HotPatch)]
    [InlineData(UpdateKind.HotPatchable, "storage", "none", VmRung.HotPatch)]
    [InlineData(UpdateKind.HostComponent, "general", "slot", VmRung.MemoryPreserving)]
    [InlineData(UpdateKind.HostComponent, "storage", "none", VmRung.MemoryPreserving)]
    [InlineData(UpdateKind.HostComponent, "hpc", "none", VmRung.LiveMigration)]
    [InlineData(UpdateKind.HostComponent, "hpc", "slot", VmRung.SelfService)]
    [InlineData(UpdateKind.HostComponent, "hpc", "now", VmRung.SelfService)]
    [InlineData(UpdateKind.HostComponent, "gpu", "none", VmRung.SelfServiceScheduled)]
    [InlineData(UpdateKind.HostComponent, "gpu", "slot", VmRung.SelfService)]
    [InlineData(UpdateKind.Reboot, "general", "none", VmRung.LiveMigration)]
    [InlineData(UpdateKind.Reboot, "general", "now", VmRung.SelfService)]
    [InlineData(UpdateKind.Reboot, "general", "slot", VmRung.SelfService)]
    [InlineData(UpdateKind.Reboot, "hpc", "none", VmRung.LiveMigration)]
    [InlineData(UpdateKind.Reboot, "gpu", "none", VmRung.SelfServiceScheduled)]
    [InlineData(UpdateKind.Reboot, "gpu", "slot", VmRung.SelfService)]
    [InlineData(UpdateKind.Reboot, "storage", "none", VmRung.SelfServiceScheduled)]
    [InlineData(UpdateKind.Reboot, "storage", "unanswered", VmRung.SelfServiceScheduled)]
    public void Choose_UpdateKindSeriesAndOwner_GivesTheLeastImpactfulRung(UpdateKind kind, string series, string owner, VmRung expected)
    {
        var vm = series switch
        {
            "general" => Vm("v", "h"),
            "hpc" => Vm("v", "h", series: "hpc", preserving: false),
            "gpu" => Vm("v", "h", series: "gpu", live: false, preserving: false),
            _ => Vm("v", "h", series: "storage", live: false),
        };
        var choice = owner switch
        {
            "now" => new OwnerChoice("v", true, null),
            "slot" => new OwnerChoice("v", false, 3600),
            "unanswered" => new OwnerChoice("v", false, null),
            _ => null,
        };

        Assert.Equal(expected, LadderPolicy.Choose(kind, vm, choice));
    }

    [Theory]
    [InlineData(UpdateKind.HotPatchable, new VmRung[0], MaintenanceAction.HotPatch)]
    [InlineData(UpdateKind.HostComponent, new VmRung[0], MaintenanceAction.MemoryPreserving)]
    [InlineData(UpdateKind.Reboot, new VmRung[0], MaintenanceAction.LiveMigration)]
    [InlineData(UpdateKind.HostComponent, new[] { VmRung.MemoryPreserving }, MaintenanceAction.MemoryPreserving)]
    [InlineData(UpdateKind.HostComponent, new[] { VmRung.MemoryPreserving, VmRung.SelfService }, MaintenanceAction.SelfService)]
    [InlineData(UpdateKind.Reboot, new[] { VmRung.SelfServiceScheduled }, MaintenanceAction.SelfService)]
    [InlineData(UpdateKind.HotPatchable, new[] { VmRung.HotPatch }, MaintenanceAction.HotPatch)]
    public void HostAction_StayingRungs_TakesTheMostImpactful(UpdateKind kind, VmRung[] staying, MaintenanceAction expected) =>
        Assert.Equal(expected, LadderPolicy.HostAction(kind, staying));
}

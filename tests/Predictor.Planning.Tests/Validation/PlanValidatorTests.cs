using Predictor.Core.Plans;
using Predictor.Planning.Validation;
using static Predictor.Planning.Tests.Support.Build;

namespace Predictor.Planning.Tests.Validation;

public class PlanValidatorTests
{
    private static MigrationStep Move(string vm, string from, string to, double start, double end, MigrationKind kind = MigrationKind.Live, double downtimeMs = 50) =>
        new(vm, from, to, kind, start, end, 8, downtimeMs, "test");

    private static string[] Check(PlanRequest request, params MigrationStep[] moves) =>
        [.. PlanValidator.Validate(request, new MaintenancePlan { Migrations = [.. moves] }).Select(v => v.ToString())];

    [Fact]
    public void Validate_ArrivalWhileAnotherVmIsStillLeaving_CountsBothOnTheHost()
    {
        var inventory = Inventory([Host("a"), Host("b", mem: 16), Host("c")], [Vm("x", "b", mem: 8), Vm("y", "a", mem: 12)]);
        var request = Request(inventory);

        var overlapping = Check(request, Move("x", "b", "c", 0, 10), Move("y", "a", "b", 5, 15));
        var sequential = Check(request, Move("x", "b", "c", 0, 10), Move("y", "a", "b", 10, 20));

        Assert.Equal(["capacity: at 5 s (migrations[1], VM y a→b): b memory overcommitted: 20 GiB of 16 GiB"], overlapping);
        Assert.Empty(sequential);
    }

    [Fact]
    public void Validate_HeadroomVcpuAndDisk_EachReported()
    {
        var inventory = Inventory([Host("a"), Host("b", mem: 100, cores: 2, disk: 40)], [Vm("y", "a", mem: 96, vcpus: 4, disk: 50)]);
        var request = Request(inventory, options: new PlanningOptions { HeadroomFraction = 0.05 });

        var violations = Check(request, Move("y", "a", "b", 0, 1));

        Assert.Equal(3, violations.Length);
        Assert.Contains("b memory 96 GiB exceeds 95 GiB (capacity less headroom)", violations[0], StringComparison.Ordinal);
        Assert.Contains("b vCPUs 4 exceed 1.9 (2 cores × overcommit 1 less headroom)", violations[1], StringComparison.Ordinal);
        Assert.Contains("b disk 50 GiB exceeds 38 GiB (capacity less headroom)", violations[2], StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_LiveMoveToOlderGenerationOrOfANonMigratableVm_Reported()
    {
        var inventory = Inventory([Host("a", gen: 2), Host("old", gen: 1)], [Vm("v", "a"), Vm("gpu", "a", live: false, series: "gpu")]);
        var request = Request(inventory);

        var violations = Check(request, Move("v", "a", "old", 0, 1), Move("gpu", "a", "old", 0, 1), Move("gpu", "old", "a", 1, 2, MigrationKind.Cold));

        Assert.Contains("generation: migrations[0] (VM v a→old): live migration from CPU generation 2 to older generation 1", violations);
        Assert.Contains("generation: migrations[1] (VM gpu a→old): VM gpu cannot live-migrate (series 'gpu') but the move is live", violations);
        Assert.DoesNotContain(violations, v => v.Contains("migrations[2]", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_AntiAffinityGroupDoubledInAFaultDomain_Reported()
    {
        var inventory = Inventory([Host("a", fd: 0), Host("b", fd: 1), Host("c", fd: 1)], [Vm("v1", "a", group: "g"), Vm("v2", "b", group: "g")]);
        var request = Request(inventory);

        var violations = Check(request, Move("v1", "a", "c", 0, 1));

        Assert.Equal(["anti-affinity: at 0 s (migrations[0], VM v1 a→c): anti-affinity group 'g' would have 2 VMs in fault domain 1 (on c), at most 1 allowed"], violations);
    }

    [Fact]
    public void Validate_ConcurrencyLimits_EachReported()
    {
        var inventory = Inventory([Host("a"), Host("b"), Host("c"), Host("d")], [Vm("v1", "a"), Vm("v2", "a"), Vm("v3", "b")]);
        var request = Request(inventory, limits: new PlanLimits { MaxOutboundPerHost = 1, MaxInboundPerHost = 1, MaxConcurrent = 2 });

        var violations = Check(request, Move("v1", "a", "c", 0, 10), Move("v2", "a", "c", 1, 10), Move("v3", "b", "d", 2, 10));

        Assert.Equal(
        [
            "concurrency: at 1 s (migrations[1], VM v2 a→c): 2 concurrent migrations out of a, limit 1",
            "concurrency: at 1 s (migrations[1], VM v2 a→c): 2 concurrent migrations into c, limit 1",
            "concurrency: at 2 s (migrations[2], VM v3 b→d): 3 concurrent migrations in the datacenter, limit 2",
        ], violations);
    }

    [Fact]
    public void Validate_AtRiskVmsMissingDoubledOrLeftOnAtRiskHost_Reported()
    {
        var inventory = Inventory([Host("a"), Host("b"), Host("c")], [Vm("v1", "a"), Vm("v2", "a"), Vm("v3", "a"), Vm("v4", "a")]);
        var request = Request(inventory, ["a", "b"]);
        var plan = new MaintenancePlan
        {
            Migrations = [Move("v2", "a", "c", 0, 1), Move("v3", "a", "b", 0, 1)],
            Unplaced = [new UnplacedVm("v2", "no room"), new UnplacedVm("v4", " ")],
        };

        var violations = PlanValidator.Validate(request, plan).Select(v => v.ToString()).ToArray();

        Assert.Contains("accounting: VM v1 on at-risk host a is neither migrated nor listed as unplaced", violations);
        Assert.Contains("accounting: VM v2 on at-risk host a is both migrated and listed as unplaced", violations);
        Assert.Contains("accounting: VM v3 ends on at-risk host b", violations);
        Assert.Contains("accounting: unplaced[1]: VM v4 has no reason", violations);
        Assert.Contains("destination: migrations[1] (VM v3 a→b): destination b is at risk and may not receive VMs", violations);
    }

    [Fact]
    public void Validate_VmMovedTwiceAtOnce_Reported()
    {
        var inventory = Inventory([Host("a"), Host("b"), Host("c")], [Vm("v1", "a")]);
        var request = Request(inventory);

        var violations = Check(request, Move("v1", "a", "b", 0, 10), Move("v1", "b", "c", 5, 12));

        Assert.Contains("sequence: VM v1 is moved twice at once: migrations[0] (0..10 s) overlaps migrations[1] (5..12 s)", violations);
    }

    [Fact]
    public void Validate_MaintenanceOnAnOccupiedHostOrOverlappingDomains_Reported()
    {
        var inventory = Inventory(
            [Host("a", ud: 0), Host("b", ud: 1), Host("c", ud: 2)],
            [Vm("v1", "a"), Vm("hpc", "b", preserving: false, series: "hpc")]);
        var request = Request(inventory);
        var plan = new MaintenancePlan
        {
            Maintenance =
            [
                new MaintenanceStep("a", MaintenanceAction.LiveMigration, 0, 300, 0),
                new MaintenanceStep("b", MaintenanceAction.MemoryPreserving, 100, 120, 10_000),
                new MaintenanceStep("c", MaintenanceAction.HotPatch, 500, 530, 2),
            ],
        };

        var violations = PlanValidator.Validate(request, plan).Select(v => v.ToString()).ToArray();

        Assert.Equal(
        [
            "maintenance: maintenance[0] (LiveMigration on a, 0..300 s): VM v1 is still on the host, which must be empty on the live-migration rung",
            "maintenance: maintenance[1] (MemoryPreserving on b, 100..120 s): VM hpc (series 'hpc') cannot do memory-preserving maintenance but stays on the host",
            "update-domain: update domain 1 starts at 100 s before update domain 0 ends at 300 s (domains go one at a time)",
        ], violations);
    }

    [Fact]
    public void Validate_MoveOntoAHostDuringItsMaintenance_Reported()
    {
        var inventory = Inventory([Host("a", ud: 0), Host("b", ud: 1)], [Vm("v1", "a")]);
        var request = Request(inventory);
        var plan = new MaintenancePlan
        {
            Migrations = [Move("v1", "a", "b", 10, 20)],
            Maintenance = [new MaintenanceStep("b", MaintenanceAction.HotPatch, 0, 30, 2)],
        };

        var violations = PlanValidator.Validate(request, plan).Select(v => v.ToString()).ToArray();

        Assert.Equal(["maintenance: maintenance[0] (HotPatch on b, 0..30 s): migrations[0] (VM v1 a→b, 10..20 s) moves a VM onto the host during its maintenance"], violations);
    }

    [Fact]
    public void Validate_LiveDowntimeOverTheLimit_Reported()
    {
        var inventory = Inventory([Host("a"), Host("b")], [Vm("v1", "a")]);
        var request = Request(inventory);

        var violations = Check(request, Move("v1", "a", "b", 0, 10, downtimeMs: 900));

        Assert.Equal(["timing: migrations[0] (VM v1 a→b): estimated downtime 900 ms exceeds the 500 ms limit"], violations);
    }

    [Fact]
    public void Validate_ZeroLengthMove_CountsOnBothHostsForThatInstant()
    {
        var inventory = Inventory([Host("a"), Host("b", mem: 12)], [Vm("x", "a", mem: 8), Vm("y", "b", mem: 8)]);
        var request = Request(inventory);

        var violations = Check(request, Move("x", "a", "b", 3, 3, MigrationKind.Cold), Move("y", "b", "a", 3, 3, MigrationKind.Cold));

        Assert.Equal(["capacity: at 3 s (migrations[0], VM x a→b): b memory overcommitted: 16 GiB of 12 GiB"], violations);
    }
}

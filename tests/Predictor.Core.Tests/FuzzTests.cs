using Predictor.Core.Inventory;
using Predictor.Core.Plans;
using Predictor.Testing;
using Predictor.Testing.Fuzz;

namespace Predictor.Core.Tests;

/// <summary>inventory.json and plan.json, fuzzed: refused with the documented error naming where, never a crash or a hang.</summary>
public sealed class FuzzTests
{
    [Fact]
    public void InventoryJson_MutatedSample_RefusedAsInvalidNeverCrashes()
    {
        var sample = File.ReadAllBytes(Path.Combine(Repository.Root, "deploy", "qemu", "inventory.sample.json"));

        Fuzzer.Run("inventory-json", [sample], input => InventoryJson.Read(new MemoryStream(input), "fuzz"), typeof(InventoryValidationException));
    }

    [Fact]
    public void PlanJson_MutatedPlan_RefusedAsInvalidDataNeverCrashes()
    {
        var plan = MaintenancePlan.Empty with
        {
            Migrations = [new MigrationStep("vm-1", "h1", "h2", MigrationKind.Live, 0, 42.5, 16, 300, "host at risk")],
            Maintenance = [new MaintenanceStep("h3", MaintenanceAction.MemoryPreserving, 0, 20, 2000) { Reason = "host component" }],
            Unplaced = [new UnplacedVm("vm-2", "no room")],
            AtRisk = ["h1"],
            Summary = new PlanSummary { MakespanS = 42.5, LowerBoundS = 40 },
        };
        using var written = new MemoryStream();
        PlanJson.Write(plan, written);

        Fuzzer.Run("plan-json", [written.ToArray()], input => PlanJson.Read(new MemoryStream(input), "fuzz"), typeof(InvalidDataException));
    }
}

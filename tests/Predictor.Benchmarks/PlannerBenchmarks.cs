using BenchmarkDotNet.Attributes;
using Predictor.Core.Inventory;
using Predictor.Core.Plans;
using Predictor.Planning;
using Predictor.Planning.Validation;
using Predictor.Planning.Workflows;

namespace Predictor.Benchmarks;

/// <summary>
/// The planner at datacenter scale: 50,000 hosts and 500,000 VMs; evacuating 1 % of hosts, and walking every
/// healthy host through the ladder (--update-all). Run with
/// <c>dotnet run -c Release --project tests/Predictor.Benchmarks -- --filter '*PlannerBenchmarks*'</c>.
/// </summary>
// In-process: building a separate benchmark executable of the whole solution takes minutes on a shared 2-core machine.
[MemoryDiagnoser]
[InProcess]
[WarmupCount(1)]
[IterationCount(5)]
public class PlannerBenchmarks
{
    private PlanRequest _evacuation = null!;
    private PlanRequest _updateAll = null!;
    private MaintenancePlan _evacuationPlan = null!;
    private readonly MaintenancePlanner _planner = new(TimeProvider.System);

    [Params(50_000)]
    public int Hosts { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var inventory = FleetGenerator.Create(Hosts, 10, seed: 1);
        var atRisk = PlanScenario.AtRiskByFraction(inventory, 0.01, seed: 1);
        _evacuation = new PlanRequest(inventory, atRisk, [], new PlanLimits(), new PlanningOptions());
        _updateAll = new PlanRequest(inventory, [], PlanScenario.UpdateAll(inventory, [], seed: 1), new PlanLimits(), new PlanningOptions());
        _evacuationPlan = _planner.Plan(_evacuation);
    }

    [Benchmark]
    public MaintenancePlan EvacuateOnePercent() => _planner.Plan(_evacuation);

    [Benchmark]
    public MaintenancePlan UpdateAll() => _planner.Plan(_updateAll);

    [Benchmark]
    public int ValidateEvacuation() => PlanValidator.Validate(_evacuation, _evacuationPlan).Count;

    /// <summary>Writes the generated inventory for the reproducible CLI measurement.</summary>
    public static void Export(string path, int hosts, int vmsPerHost, int seed) =>
        InventoryJson.WriteFile(FleetGenerator.Create(hosts, vmsPerHost, seed), path);
}

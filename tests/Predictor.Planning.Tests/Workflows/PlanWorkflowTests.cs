using Predictor.Core.Inventory;
using Predictor.Core.Plans;
using Predictor.Planning.Workflows;

namespace Predictor.Planning.Tests.Workflows;

public sealed class PlanWorkflowTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("predictor-plan-");

    public void Dispose() => _dir.Delete(recursive: true);

    private string WriteInventory()
    {
        var hosts = Enumerable.Range(0, 12).Select(i => new Host($"h{i}", $"r{i % 4}", i % 4, i % 3, 1 + (i % 2), 32, 256, 2000, 25)).ToList();
        var vms = Enumerable.Range(0, 48).Select(i => new Vm($"v{i}", $"h{i % 12}", 2, 8, 40, i % 10 == 0 ? "gpu" : "general", 50, i % 10 != 0, i % 10 != 0)).ToList();
        var path = Path.Combine(_dir.FullName, "inventory.json");
        InventoryJson.WriteFile(DatacenterInventory.Create("dc", hosts, vms), path);
        return path;
    }

    private (int Code, string Out, string Err) Run(string inventory, string? atRisk = null, double? fraction = null, bool updateAll = false, int maxOutbound = 2)
    {
        var args = new PlanArguments(new FileInfo(inventory), atRisk, fraction, 7, updateAll, new FileInfo(Path.Combine(_dir.FullName, "plan.json")),
            new PlanLimits { MaxOutboundPerHost = maxOutbound }, 500, 0.05, new MaintenancePlannerOptions(), null);
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = PlanWorkflow.Run(args, TimeProvider.System, stdout, stderr, CancellationToken.None);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public void Run_AtRiskHosts_WritesAValidatedPlanAndPrintsTheSummary()
    {
        var (code, stdout, _) = Run(WriteInventory(), atRisk: "h0,h10");

        Assert.Equal(0, code);
        var plan = PlanJson.ReadFile(Path.Combine(_dir.FullName, "plan.json"));
        Assert.Equal(["h0", "h10"], plan.AtRisk.ToArray());
        Assert.Equal(8, plan.Migrations.Length + plan.Unplaced.Length);
        Assert.Contains("moves:       8 (6 live, 2 cold), unplaced 0, maintenance steps 0", stdout, StringComparison.Ordinal);
        Assert.Contains("validation:  passed", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_UpdateAllWithFraction_PlansEveryHealthyHost()
    {
        var (code, stdout, _) = Run(WriteInventory(), fraction: 0.1, updateAll: true);

        Assert.Equal(0, code);
        var plan = PlanJson.ReadFile(Path.Combine(_dir.FullName, "plan.json"));
        Assert.Single(plan.AtRisk);
        Assert.Equal(11, plan.Maintenance.Length);
        Assert.Contains("validation:  passed", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_BrokenInventory_ListsEveryErrorAndExits2()
    {
        var path = Path.Combine(_dir.FullName, "bad.json");
        File.WriteAllText(path, """{"datacenter":"dc","hosts":[{"id":"h1","rack":"r","faultDomain":0,"updateDomain":0,"cpuGeneration":1,"cores":8,"memoryGiB":-4,"diskGiB":10,"nicGbps":10,"state":"active"}],"vms":[{"id":"v1","host":"nope","vcpus":1,"memoryGiB":1,"diskGiB":1,"series":"general","dirtyRateMiBps":1,"liveMigratable":true,"memoryPreservingCapable":true,"antiAffinityGroup":null}]}""");

        var (code, _, stderr) = Run(path, atRisk: "h1");

        Assert.Equal(2, code);
        Assert.Contains("is invalid (2 errors)", stderr, StringComparison.Ordinal);
        Assert.Contains("memoryGiB: must be a positive number, got -4", stderr, StringComparison.Ordinal);
        Assert.Contains("unknown host 'nope'", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_UnknownAtRiskHostAndBadLimit_ReportsBothAndExits2()
    {
        var (code, _, stderr) = Run(WriteInventory(), atRisk: "h1,zz", maxOutbound: 0);

        Assert.Equal(2, code);
        Assert.Contains("predictor plan: --max-outbound must be at least 1, got 0", stderr, StringComparison.Ordinal);
        var (code2, _, stderr2) = Run(WriteInventory(), atRisk: "h1,zz");
        Assert.Equal(2, code2);
        Assert.Contains("predictor plan: --at-risk names unknown host 'zz'", stderr2, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_MissingInventoryFile_Exits2NamingIt()
    {
        var (code, _, stderr) = Run(Path.Combine(_dir.FullName, "missing.json"), atRisk: "h1");

        Assert.Equal(2, code);
        Assert.Contains("cannot read --inventory", stderr, StringComparison.Ordinal);
    }
}

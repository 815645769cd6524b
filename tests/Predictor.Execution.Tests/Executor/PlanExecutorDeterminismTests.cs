using Predictor.Core.Inventory;
using Predictor.Core.Plans;
using Predictor.Execution.Executor;

namespace Predictor.Execution.Tests.Executor;

/// <summary>On a virtual clock advanced only when the executor is idle, a run's outcome cannot depend on the machine's load.</summary>
public sealed class PlanExecutorDeterminismTests
{
    private static readonly DatacenterInventory Inventory = DatacenterInventory.Create("t",
        [
            new Host("h1", "r1", 0, 0, 3, 32, 256, 2000, 25),
            new Host("h2", "r2", 1, 0, 3, 32, 256, 2000, 25),
            new Host("h3", "r3", 2, 1, 3, 32, 256, 2000, 25),
            new Host("h4", "r4", 3, 1, 3, 32, 256, 2000, 25),
        ],
        [
            new Vm("v1", "h1", 4, 16, 50, "general", 20, true, true),
            new Vm("v2", "h1", 4, 32, 50, "general", 20, true, true),
            new Vm("v3", "h1", 2, 8, 50, "general", 20, true, true),
            new Vm("v4", "h2", 4, 24, 50, "general", 20, true, true),
            new Vm("v5", "h2", 2, 12, 50, "general", 20, true, true),
            new Vm("v6", "h4", 2, 4, 50, "general", 20, true, true),
        ]);

    [Fact]
    public async Task Submit_MultiHostPlanWhileBothCoresAreBusy_OutcomesAreIdenticalRunAfterRun()
    {
        var quiet = await RunAsync();

        var spinning = true;
        var spinners = Enumerable.Range(0, 2).Select(_ => new Thread(() =>
        {
            while (Volatile.Read(ref spinning))
            {
                Thread.SpinWait(1000);
            }
        }) { IsBackground = true }).ToList();
        spinners.ForEach(t => t.Start());
        try
        {
            for (var run = 0; run < 3; run++)
            {
                Assert.Equal(quiet, await RunAsync());
            }
        }
        finally
        {
            Volatile.Write(ref spinning, false);
            spinners.ForEach(t => t.Join());
        }

        Assert.Contains(quiet, o => !o.Succeeded);
        Assert.Equal(9, quiet.Count);
    }

    /// <summary>
    /// Three VMs leave h1 (the first move fails, so h1's empty-host update is refused), two leave h2 later while h2 is
    /// hot-patched, h4 gets a memory-preserving update, all under tight concurrency limits.
    /// </summary>
    private static async Task<List<(string StepId, bool Succeeded, string Message, FailureKind? Failure, TimeSpan Blackout, TimeSpan Duration, DateTimeOffset At)>> RunAsync()
    {
        await using var f = new ExecutorFixture(Inventory, new ExecutorOptions { StepRetries = 1, RetryDelay = TimeSpan.FromSeconds(7) });
        f.Counting.FailNext(2);
        var plan = ExecutorFixture.Plan(
            [
                ExecutorFixture.Move("v1", "h1", "h3"),
                ExecutorFixture.Move("v2", "h1", "h3"),
                ExecutorFixture.Move("v3", "h1", "h4", startS: 5),
                ExecutorFixture.Move("v4", "h2", "h4", startS: 10),
                ExecutorFixture.Move("v5", "h2", "h3", startS: 10),
            ],
            [
                new MaintenanceStep("h1", MaintenanceAction.LiveMigration, 0, 60, 0),
                new MaintenanceStep("h2", MaintenanceAction.HotPatch, 20, 40, 0),
                new MaintenanceStep("h4", MaintenanceAction.MemoryPreserving, 15, 25, 4_000),
                new MaintenanceStep("h3", MaintenanceAction.HotPatch, 0, 30, 0),
            ]) with { Limits = new PlanLimits { MaxConcurrent = 2, MaxOutboundPerHost = 1, MaxInboundPerHost = 1 } };

        f.Executor.Submit(plan, Inventory, "p1", f.Clock.GetUtcNow(), new Dictionary<string, string> { ["h1"] = "kernel-1" });
        await f.RunToEndAsync();

        return [.. f.Outcomes.Zip(f.FinishedAt, (o, at) => (o.StepId, o.Succeeded, o.Message, o.Failure, o.Blackout, o.Duration, at))];
    }
}

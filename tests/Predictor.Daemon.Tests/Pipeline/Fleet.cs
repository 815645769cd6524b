using Predictor.Core.Inventory;
using Predictor.Core.Risk;
using Predictor.Execution.Executor;
using Predictor.Execution.Journal;

namespace Predictor.Daemon.Tests.Pipeline;

/// <summary>Small hand-made inventories, assessments and outcomes for the stage tests.</summary>
internal static class Fleet
{
    public static readonly DateTimeOffset Now = new(2026, 1, 5, 12, 0, 0, TimeSpan.Zero);

    public static Host Host(string id, HostState state = HostState.Active) => new(id, "r1", 0, 0, 3, 64, 512, 4000, 25, state);

    public static Vm Vm(string id, string host) => new(id, host, 4, 16, 50, "general", 20, true, true);

    /// <summary>Hosts h1..h<paramref name="hosts"/>; VMs as "vm@host" pairs.</summary>
    public static DatacenterInventory Inventory(int hosts, params string[] vms) => DatacenterInventory.Create(
        "dc", Enumerable.Range(1, hosts).Select(i => Host($"h{i}")),
        vms.Select(v => v.Split('@')).Select(p => Vm(p[0], p[1])));

    public static RiskAssessment Risk(string host, double probability) =>
        new(host, Now, probability, TimeSpan.FromDays(2), null, [new Evidence("smart_5_raw", "sda", 400, "smart_5_raw.max = 400")], "test");

    public static ExecutionOutcome Moved(string vm, string from, string to) =>
        new($"p/{vm}", StepKind.LiveMigration, vm, from, to, true, TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(40), $"moved to {to}");

    public static ExecutionOutcome Failed(StepKind kind, string target, string from, string message = "broke") =>
        new($"p/{target}", kind, target, from, null, false, TimeSpan.FromSeconds(1), TimeSpan.Zero, message);
}

using System.Collections.Frozen;
using Microsoft.Extensions.Logging.Testing;
using Predictor.Core.Hypervisors;
using Predictor.Core.Inventory;
using Predictor.Daemon.Datacenter;
using Predictor.Execution.Executor;
using Predictor.Execution.Journal;

namespace Predictor.Daemon.Tests.Datacenter;

public sealed class InventoryDatacenterTests
{
    private readonly ReportedStates _hypervisor = new();
    private readonly FakeLogger<InventoryDatacenter> _logger = new();

    [Fact]
    public void OnStepFinished_SuccessfulMigration_MovesTheVmAndFailedOneDoesNot()
    {
        var datacenter = Create();

        datacenter.OnStepFinished(Outcome("vm-1", "h1", "h2", succeeded: true));
        datacenter.OnStepFinished(Outcome("vm-2", "h1", "h3", succeeded: false));

        Assert.Equal("h2", datacenter.Inventory().GetVm("vm-1").Host);
        Assert.Equal("h1", datacenter.Inventory().GetVm("vm-2").Host);
        Assert.Contains(_logger.Collector.GetSnapshot(), e => e.Id.Id == 1101 && e.Message == "VM vm-1 now placed on h2 (was h1): the executor moved it");
    }

    [Fact]
    public async Task VerifyAsync_HypervisorReportsVmElsewhere_CorrectsPlacement()
    {
        var datacenter = Create();
        _hypervisor.States[("vm-1", "h1")] = VmRunState.Absent;
        _hypervisor.States[("vm-1", "h3")] = VmRunState.Running;
        _hypervisor.States[("vm-2", "h1")] = VmRunState.Running;

        var corrected = await datacenter.VerifyAsync(null, CancellationToken.None);

        Assert.Equal(1, corrected);
        Assert.Equal("h3", datacenter.Inventory().GetVm("vm-1").Host);
        Assert.Equal("h1", datacenter.Inventory().GetVm("vm-2").Host);
        Assert.Contains(_logger.Collector.GetSnapshot(), e => e.Message == "VM vm-1 now placed on h3 (was h1): the hypervisor reports it Absent on h1 and running on h3");
    }

    [Fact]
    public async Task VerifyAsync_VmBusyWithAStep_IsLeftAlone()
    {
        var datacenter = Create();
        _hypervisor.States[("vm-1", "h3")] = VmRunState.Running;
        _hypervisor.States[("vm-2", "h3")] = VmRunState.Running;

        var corrected = await datacenter.VerifyAsync(target => target is "vm-1", CancellationToken.None);

        Assert.Equal(1, corrected);
        Assert.Equal("h1", datacenter.Inventory().GetVm("vm-1").Host);
        Assert.Equal("h3", datacenter.Inventory().GetVm("vm-2").Host);
    }

    [Fact]
    public async Task VerifyAsync_HypervisorUnreachable_KeepsPlacementAndSaysSo()
    {
        var datacenter = Create();
        _hypervisor.Unreachable.Add("h1");

        var corrected = await datacenter.VerifyAsync(null, CancellationToken.None);

        Assert.Equal(0, corrected);
        Assert.Equal("h1", datacenter.Inventory().GetVm("vm-1").Host);
        Assert.Contains(_logger.Collector.GetSnapshot(), e => e.Id.Id == 1103 && e.Message == "Placement of VM vm-1 on h1 could not be checked: h1 does not answer");
    }

    [Fact]
    public async Task VerifyAsync_VmRunningNowhere_WarnsOnceAndKeepsPlacement()
    {
        var datacenter = Create();
        _hypervisor.States[("vm-2", "h1")] = VmRunState.Running;

        await datacenter.VerifyAsync(null, CancellationToken.None);
        await datacenter.VerifyAsync(null, CancellationToken.None);

        Assert.Equal("h1", datacenter.Inventory().GetVm("vm-1").Host);
        var warning = Assert.Single(_logger.Collector.GetSnapshot(), e => e.Id.Id == 1102);
        Assert.Equal("VM vm-1 is not running on h1 (the hypervisor reports Absent) nor on any other host it is configured for; its placement is kept", warning.Message);
    }

    [Fact]
    public async Task ApplyJournalAsync_CompletedMigrationFromEarlierRun_IsApplied()
    {
        var path = Path.Combine(Path.GetTempPath(), $"predictor-test-{Guid.NewGuid():N}.db");
        try
        {
            using (var journal = new SqliteExecutionJournal(path))
            {
                var at = DateTimeOffset.UnixEpoch;
                await journal.RecordAsync(new JournalEntry("p1/vm-1", "p1", StepKind.LiveMigration, "vm-1", "h1", "h2", StepState.Completed, at), CancellationToken.None);
                await journal.RecordAsync(new JournalEntry("p2/vm-2", "p2", StepKind.LiveMigration, "vm-2", "h1", "h3", StepState.Failed, at), CancellationToken.None);
                var datacenter = Create();

                await datacenter.ApplyJournalAsync(journal, CancellationToken.None);

                Assert.Equal("h2", datacenter.Inventory().GetVm("vm-1").Host);
                Assert.Equal("h1", datacenter.Inventory().GetVm("vm-2").Host);
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            File.Delete(path);
        }
    }

    private InventoryDatacenter Create()
    {
        var hosts = Enumerable.Range(1, 3).Select(i => new Host($"h{i}", $"r{i}", i, i, 3, 16, 64, 500, 10)).ToList();
        var vms = new List<Vm>
        {
            new("vm-1", "h1", 2, 4, 20, "general", 10, true, true),
            new("vm-2", "h1", 2, 4, 20, "general", 10, true, true),
        };
        var inventory = DatacenterInventory.Create("dc", hosts, vms);
        var reachable = new Dictionary<string, string[]> { ["vm-1"] = ["h1", "h2", "h3"], ["vm-2"] = ["h1", "h3"] }.ToFrozenDictionary();
        return new InventoryDatacenter(new DatacenterDefinition(inventory, [], reachable), _hypervisor, _logger);
    }

    private static ExecutionOutcome Outcome(string vm, string from, string to, bool succeeded) =>
        new($"p/{vm}", StepKind.LiveMigration, vm, from, to, succeeded, TimeSpan.FromSeconds(3), TimeSpan.FromMilliseconds(20), "test");

    /// <summary>States as a hypervisor would report them; hosts in <see cref="Unreachable"/> throw like an unreachable QMP socket.</summary>
    private sealed class ReportedStates : IHypervisor
    {
        public Dictionary<(string Vm, string Host), VmRunState> States { get; } = [];

        public HashSet<string> Unreachable { get; } = [];

        public Task<VmRunState> GetStateAsync(string vm, string host, CancellationToken cancellationToken) =>
            Unreachable.Contains(host)
                ? throw new HypervisorException($"{host} does not answer")
                : Task.FromResult(States.GetValueOrDefault((vm, host), VmRunState.Absent));

        public Task<MigrationResult> LiveMigrateAsync(string vm, string fromHost, string toHost, MigrationOptions options, IProgress<MigrationProgress>? progress, CancellationToken cancellationToken) =>
            throw new HypervisorException("placement checks never migrate");

        public Task<TimeSpan> ColdMigrateAsync(string vm, string fromHost, string toHost, CancellationToken cancellationToken) =>
            throw new HypervisorException("placement checks never migrate");

        public Task PauseAsync(string vm, string host, CancellationToken cancellationToken) => throw new HypervisorException("placement checks never pause");

        public Task ResumeAsync(string vm, string host, CancellationToken cancellationToken) => throw new HypervisorException("placement checks never resume");
    }
}

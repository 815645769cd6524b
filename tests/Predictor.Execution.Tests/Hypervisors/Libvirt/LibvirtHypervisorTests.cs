using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using Predictor.Core.Hypervisors;
using Predictor.Execution.Hypervisors;
using Predictor.Execution.Hypervisors.Libvirt;
using Predictor.Testing;
using Predictor.Testing.Metrics;
using static Predictor.Execution.Tests.Hypervisors.Libvirt.FakeVirshRunner;

namespace Predictor.Execution.Tests.Hypervisors.Libvirt;

public sealed class LibvirtHypervisorTests
{
    private const string H1 = "qemu+ssh://root@h1/system";
    private const string H2 = "qemu+ssh://root@h2/system";
    private const string H3 = "qemu+unix:///system?socket=/run/h3/libvirt-sock";
    private static readonly MigrationOptions Limits = new(TimeSpan.FromMilliseconds(300), 100 * 1024 * 1024);

    private readonly FakeVirshRunner _virsh = new();
    private readonly FakeLogger<LibvirtHypervisor> _logger = new();

    private LibvirtHypervisor Create(TimeProvider? time = null, TimeSpan? poll = null)
    {
        var options = new LibvirtHypervisorOptions { ProgressPollInterval = poll ?? TimeSpan.FromSeconds(1) };
        options.Hosts.Add(new LibvirtHostOptions { Host = "h1", Uri = H1 });
        options.Hosts.Add(new LibvirtHostOptions { Host = "h2", Uri = H2, MigrationUri = "tcp://10.0.0.2" });
        options.Hosts.Add(new LibvirtHostOptions { Host = "h3", Uri = H3, MigrationUri = "tcp://127.0.0.1", MigrationListenAddress = "127.0.0.1" });
        return new LibvirtHypervisor(Options.Create(options), _virsh, time ?? TimeProvider.System, _logger, new HypervisorMetrics(new TestMeterFactory()));
    }

    [Fact]
    public async Task LiveMigrateAsync_Succeeds_RunsVirshMigrateAndReportsDestinationDowntime()
    {
        _virsh.On(H1, "domstate", Ok("running (booted)\n"), Fail(VirshSamples.NotFound))
            .On(H1, "migrate-setmaxdowntime", Ok())
            .On(H1, "migrate", Ok())
            .On(H2, "domstate", Ok("running (migrated)\n"))
            .On(H2, "domjobinfo", Ok(VirshSamples.JobCompleted));

        var result = await Create().LiveMigrateAsync("vm-1", "h1", "h2", Limits, null, CancellationToken.None);

        Assert.Equal(TimeSpan.FromMilliseconds(25), result.Downtime);
        Assert.Equal(1090921693, result.TransferredBytes);
        Assert.Equal(
            [
                $"-c {H1} domstate --reason vm-1",
                $"-c {H1} migrate-setmaxdowntime vm-1 300",
                $"-c {H1} migrate --live --p2p --persistent --undefinesource --auto-converge --bandwidth 100 --migrateuri tcp://10.0.0.2 vm-1 {H2}",
                $"-c {H2} domstate --reason vm-1",
                $"-c {H1} domstate --reason vm-1",
                $"-c {H2} domjobinfo --completed vm-1",
            ],
            _virsh.Calls);
    }

    [Fact]
    public async Task LiveMigrateAsync_WhileCopying_ReportsDomjobinfoProgress()
    {
        var reported = new ManualResetEventSlim();
        MigrationProgress? seen = null;
        _virsh.On(H1, "domstate", Ok("running (booted)\n"), Fail(VirshSamples.NotFound))
            .On(H1, "migrate-setmaxdowntime", Ok())
            .On(H1, "domjobinfo", Ok(VirshSamples.JobRunning))
            .On(H1, "migrate", () => reported.Wait(TimeSpan.FromSeconds(10)) ? Ok() : Fail("error: no progress was polled"))
            .On(H2, "domstate", Ok("running (migrated)\n"))
            .On(H2, "domjobinfo", Ok(VirshSamples.JobCompleted));
        var progress = new SyncProgress(p =>
        {
            seen = p;
            reported.Set();
        });

        await Create(poll: TimeSpan.FromMilliseconds(5)).LiveMigrateAsync("vm-1", "h1", "h2", Limits, progress, CancellationToken.None);

        Assert.Equal(new MigrationProgress(119899423, 951849058, 2), seen);
    }

    [Fact]
    public async Task LiveMigrateAsync_JobJustBegun_ReportsNoProgressUntilFiguresAppear()
    {
        var reports = new List<MigrationProgress>();
        var polls = 0;
        var reported = new ManualResetEventSlim();
        _virsh.On(H1, "domstate", Ok("running (booted)\n"), Fail(VirshSamples.NotFoundByUuid))
            .On(H1, "migrate-setmaxdowntime", Ok())
            .On(H1, "domjobinfo", () => Interlocked.Increment(ref polls) <= 3 ? Ok(VirshSamples.CapturedJobJustBegun) : Ok(VirshSamples.CapturedJobRunning))
            .On(H1, "migrate", () => reported.Wait(TimeSpan.FromSeconds(10)) ? Ok() : Fail("error: no progress was polled"))
            .On(H2, "domstate", Ok("running (migrated)\n"))
            .On(H2, "domjobinfo", Ok(VirshSamples.CapturedJobCompleted));
        var progress = new SyncProgress(p =>
        {
            lock (reports)
            {
                reports.Add(p);
            }

            reported.Set();
        });

        var result = await Create(poll: TimeSpan.FromMilliseconds(5)).LiveMigrateAsync("vm-1", "h1", "h2", Limits, progress, CancellationToken.None);

        Assert.True(Volatile.Read(ref polls) >= 4, $"domjobinfo was polled {polls} times");
        Assert.Equal(new MigrationProgress(108762, 66466087, 1), reports[0]);
        Assert.All(reports, r => Assert.Equal(new MigrationProgress(108762, 66466087, 1), r));
        Assert.Equal(TimeSpan.FromMilliseconds(15), result.Downtime);
        Assert.Equal(557850, result.TransferredBytes);
    }

    [Fact]
    public async Task LiveMigrateAsync_DestinationHasListenAddress_PassesItToVirsh()
    {
        _virsh.On(H1, "domstate", Ok("running (booted)\n"), Fail(VirshSamples.NotFound))
            .On(H1, "migrate-setmaxdowntime", Ok())
            .On(H1, "migrate", Ok())
            .On(H3, "domstate", Ok("running (migrated)\n"))
            .On(H3, "domjobinfo", Ok(VirshSamples.CapturedJobCompleted));

        await Create().LiveMigrateAsync("vm-1", "h1", "h3", new MigrationOptions(TimeSpan.FromMilliseconds(300)), null, CancellationToken.None);

        Assert.Contains($"-c {H1} migrate --live --p2p --persistent --undefinesource --auto-converge --migrateuri tcp://127.0.0.1 --listen-address 127.0.0.1 vm-1 {H3}", _virsh.Calls);
    }

    [Fact]
    public async Task LiveMigrateAsync_VirshMigrateFails_AbortsResumesAndSaysVmRunsOnSource()
    {
        _virsh.On(H1, "domstate", Ok("running (booted)\n"), Ok("paused (migrating)\n"), Ok("running (unpaused)\n"))
            .On(H1, "migrate-setmaxdowntime", Ok())
            .On(H1, "migrate", Fail("error: operation failed: migration out job: unexpectedly failed\n"))
            .On(H1, "domjobabort", Fail("error: Requested operation is not valid: no job is active on the domain\n"))
            .On(H1, "resume", Ok("Domain 'vm-1' resumed\n"));

        var ex = await Assert.ThrowsAsync<HypervisorException>(() => Create().LiveMigrateAsync("vm-1", "h1", "h2", Limits, null, CancellationToken.None));

        Assert.Equal("live migration of VM 'vm-1' from 'h1' to 'h2' failed: virsh migrate failed: operation failed: migration out job: unexpectedly failed; the migration was aborted and VM 'vm-1' is running on 'h1'", ex.Message);
        Assert.Contains($"-c {H1} domjobabort vm-1", _virsh.Calls);
        Assert.Contains($"-c {H1} resume vm-1", _virsh.Calls);
        Assert.Contains(_logger.Collector.GetSnapshot(), e => e.Id.Id == 2212 && e.Level == LogLevel.Error);
    }

    [Fact]
    public async Task LiveMigrateAsync_ReportedSuccessButNotRunningOnDestination_Throws()
    {
        _virsh.On(H1, "domstate", Ok("running (booted)\n"), Ok("shut off (migrated)\n"))
            .On(H1, "migrate-setmaxdowntime", Ok())
            .On(H1, "migrate", Ok())
            .On(H2, "domstate", Ok("paused (migrating)\n"));

        var ex = await Assert.ThrowsAsync<HypervisorException>(() => Create().LiveMigrateAsync("vm-1", "h1", "h2", Limits, null, CancellationToken.None));

        Assert.Equal("virsh migrate of VM 'vm-1' reported success but the VM is 'paused (migrating)' on 'h2' and 'shut off (migrated)' on 'h1'; check both by hand", ex.Message);
    }

    [Fact]
    public async Task LiveMigrateAsync_VmNotRunning_RefusesWithoutCallingMigrate()
    {
        _virsh.On(H1, "domstate", Ok("shut off (destroyed)\n"));

        var ex = await Assert.ThrowsAsync<HypervisorException>(() => Create().LiveMigrateAsync("vm-1", "h1", "h2", Limits, null, CancellationToken.None));

        Assert.Equal("VM 'vm-1' is 'shut off (destroyed)' on 'h1', not running; it was not migrated and nothing was changed", ex.Message);
        Assert.Equal([$"-c {H1} domstate --reason vm-1"], _virsh.Calls);
    }

    [Fact]
    public async Task PauseThenResume_Running_SuspendResumeAndPauseMeasured()
    {
        var time = new ManualTimeProvider();
        _virsh.On(H1, "domstate", Ok("running (booted)\n"), Ok("paused (user)\n"))
            .On(H1, "suspend", Ok("Domain 'vm-1' suspended\n"))
            .On(H1, "resume", Ok("Domain 'vm-1' resumed\n"));
        var hypervisor = Create(time);

        await hypervisor.PauseAsync("vm-1", "h1", CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(12));
        await hypervisor.ResumeAsync("vm-1", "h1", CancellationToken.None);

        Assert.Equal(TimeSpan.FromSeconds(12), hypervisor.LastPause("vm-1", "h1"));
        Assert.Contains(_logger.Collector.GetSnapshot(), e => e.Message == "Resumed VM vm-1 on h1 after a pause of 12000 ms");
    }

    [Fact]
    public async Task GetStateAsync_UnknownDomain_Absent()
    {
        _virsh.On(H1, "domstate", Fail(VirshSamples.NotFound));

        Assert.Equal(VmRunState.Absent, await Create().GetStateAsync("vm-1", "h1", CancellationToken.None));
    }

    [Fact]
    public async Task GetStateAsync_UnknownHost_ClearError()
    {
        var ex = await Assert.ThrowsAsync<HypervisorException>(() => Create().GetStateAsync("vm-1", "h9", CancellationToken.None));

        Assert.Equal("no libvirt URI is configured for host 'h9' (see Hypervisors:Libvirt:Hosts); nothing was changed", ex.Message);
    }

    [Fact]
    public void Validator_SeveralMistakes_ReportsEveryOne()
    {
        var options = new LibvirtHypervisorOptions { VirshPath = "", MigrationTimeout = TimeSpan.Zero };
        options.Hosts.Add(new LibvirtHostOptions { Host = "h1", Uri = "h1" });
        options.Hosts.Add(new LibvirtHostOptions { Host = "h1", Uri = "qemu:///system", MigrationUri = "::", MigrationListenAddress = "10.0.0.1 10.0.0.2" });

        Assert.Equal(
            [
                "Hypervisors:Libvirt:VirshPath: empty (got ''; expected the virsh executable).",
                "Hypervisors:Libvirt:MigrationTimeout: out of range (got 00:00:00; expected more than 00:00:00).",
                "Hypervisors:Libvirt:Hosts:0:Uri: not a libvirt connection URI (got 'h1'; expected a URI such as 'qemu+ssh://host/system').",
                "Hypervisors:Libvirt:Hosts:1:Host: configured twice (got 'h1'; expected each host once (the first is Hypervisors:Libvirt:Hosts:0)).",
                "Hypervisors:Libvirt:Hosts:1:MigrationUri: not a URI (got '::'; expected a URI such as 'tcp://10.0.0.17').",
                "Hypervisors:Libvirt:Hosts:1:MigrationListenAddress: not an address (got '10.0.0.1 10.0.0.2'; expected an IP address or host name such as '10.0.0.17').",
            ],
            new LibvirtHypervisorOptionsValidator().Validate(null, options).Failures);
    }

    private sealed class SyncProgress(Action<MigrationProgress> report) : IProgress<MigrationProgress>
    {
        public void Report(MigrationProgress value) => report(value);
    }
}

using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using Predictor.Core.Hypervisors;
using Predictor.Execution.Hypervisors;
using Predictor.Execution.Hypervisors.Libvirt;
using Predictor.Testing.Metrics;
using Xunit.Abstractions;

namespace Predictor.IntegrationTests.Hypervisors.Libvirt;

/// <summary>
/// The libvirt adapter, through the real virsh, against two real libvirtd on this machine (see
/// <see cref="LibvirtLab"/>) running 64 MiB TCG domains; migration data goes over loopback TCP.
/// </summary>
public sealed class LibvirtHypervisorTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);
    private static readonly MigrationOptions Fast = new(TimeSpan.FromMilliseconds(300));

    /// <summary>8 MiB/s: a guest full of random data takes ~8 s, so faults land mid-copy.</summary>
    private static readonly MigrationOptions Slow = new(TimeSpan.FromMilliseconds(300), 8 * 1024 * 1024);
    private static readonly IMeterFactory MeterFactory = new TestMeterFactory();

    private readonly FakeLogger<LibvirtHypervisor> _logger = new();
    private LibvirtLab _lab = null!;

    public async Task InitializeAsync() => _lab = await LibvirtLab.StartAsync();

    public async Task DisposeAsync()
    {
        if (_lab is not null)
        {
            await _lab.DisposeAsync();
        }
    }

    [Fact]
    public async Task LiveMigrateAsync_PeerToPeer_RunsOnDestinationWithByteIdenticalRamAndIsGoneFromSource()
    {
        await _lab.StartDomainAsync(_lab.H1, "vm-1");
        var pattern = _lab.FillMemoryWithPattern(_lab.H1, "vm-1", seed: 11);
        var hypervisor = Create();

        var result = await hypervisor.LiveMigrateAsync("vm-1", "h1", "h2", Fast, null, CancellationToken.None).WaitAsync(Bound);

        Assert.Equal(VmRunState.Running, await hypervisor.GetStateAsync("vm-1", "h2", CancellationToken.None));
        Assert.Equal(VmRunState.Absent, await hypervisor.GetStateAsync("vm-1", "h1", CancellationToken.None));
        Assert.Equal("running (migrated)", await _lab.VirshOkAsync(_lab.H2, "domstate", "--reason", "vm-1"));
        Assert.Equal(["vm-1"], await _lab.DomainsAsync(_lab.H2));
        Assert.Empty(await _lab.DomainsAsync(_lab.H1));
        Assert.Contains("Persistent:     yes", await _lab.VirshOkAsync(_lab.H2, "dominfo", "vm-1"), StringComparison.Ordinal);
        output.WriteLine($"duration {result.Duration.TotalMilliseconds:0} ms, downtime {result.Downtime.TotalMilliseconds:0} ms, {result.TransferredBytes} bytes sent");
        Assert.True(pattern.AsSpan().SequenceEqual(_lab.ReadMemory(_lab.H2, "vm-1")), "the guest RAM on h2 differs from the pattern written on h1");
        Assert.InRange(result.Duration, TimeSpan.FromMilliseconds(1), Bound);
        // libvirt reports whole milliseconds of switch-over; a guest that writes nothing can switch over in 0 ms.
        Assert.InRange(result.Downtime, TimeSpan.Zero, result.Duration);
        // 64 MiB of random data crossed the wire once (pages dirtied by nobody are not sent again); virsh rounds to 0.001 MiB.
        Assert.InRange(result.TransferredBytes, LibvirtLab.GuestMemoryBytes, LibvirtLab.GuestMemoryBytes * 11 / 10);
        Assert.Contains(_logger.Collector.GetSnapshot(), e => e.Id.Id == 2211 && e.Message.StartsWith("Live migration of VM vm-1 from h1 to h2 completed in ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task LiveMigrateAsync_BandwidthCappedTo32MiBPerSecond_ReportsProgressFromDomjobinfo()
    {
        await _lab.StartDomainAsync(_lab.H1, "vm-2");
        _lab.FillMemoryWithPattern(_lab.H1, "vm-2", seed: 12);
        var hypervisor = Create();
        var reports = new List<MigrationProgress>();

        // 64 MiB of random data at 32 MiB/s: about 2 s of copying, polled every 50 ms.
        await hypervisor.LiveMigrateAsync("vm-2", "h1", "h2", Fast with { MaxBandwidthBytesPerSecond = 32 * 1024 * 1024 }, new SyncProgress(p =>
        {
            lock (reports)
            {
                reports.Add(p);
            }
        }), CancellationToken.None).WaitAsync(Bound);

        Assert.Equal(VmRunState.Running, await hypervisor.GetStateAsync("vm-2", "h2", CancellationToken.None));
        Assert.True(reports.Count >= 5, $"only {reports.Count} progress reports during a ~2 s copy polled every 50 ms");
        Assert.All(reports, r => Assert.True(r.TransferredBytes > 0 && r.RemainingBytes <= LibvirtLab.GuestMemoryBytes && r.Round >= 1, $"implausible progress {r}"));
        Assert.Equal(reports.OrderBy(r => r.TransferredBytes).ToList(), reports);
        Assert.True(reports[^1].TransferredBytes > LibvirtLab.GuestMemoryBytes / 2, $"the last report saw only {reports[^1].TransferredBytes} bytes sent");
    }

    [Fact]
    public async Task LiveMigrateAsync_DirectThenBack_VmEndsOnItsFirstHost()
    {
        await _lab.StartDomainAsync(_lab.H1, "vm-3");
        var hypervisor = Create(peerToPeer: false);

        await hypervisor.LiveMigrateAsync("vm-3", "h1", "h2", Fast, null, CancellationToken.None).WaitAsync(Bound);
        Assert.Equal(VmRunState.Running, await hypervisor.GetStateAsync("vm-3", "h2", CancellationToken.None));
        await hypervisor.LiveMigrateAsync("vm-3", "h2", "h1", Fast, null, CancellationToken.None).WaitAsync(Bound);

        Assert.Equal(VmRunState.Running, await hypervisor.GetStateAsync("vm-3", "h1", CancellationToken.None));
        Assert.Equal(VmRunState.Absent, await hypervisor.GetStateAsync("vm-3", "h2", CancellationToken.None));
        Assert.Equal(["vm-3"], await _lab.DomainsAsync(_lab.H1));
    }

    [Fact]
    public async Task LiveMigrateAsync_DestinationDaemonDown_FailsClearlyAndVmKeepsRunningOnSource()
    {
        await _lab.StartDomainAsync(_lab.H1, "vm-4");
        var hypervisor = Create();
        await _lab.H2.StopAsync();

        var ex = await Assert.ThrowsAsync<HypervisorException>(() => hypervisor.LiveMigrateAsync("vm-4", "h1", "h2", Fast, null, CancellationToken.None).WaitAsync(Bound));

        output.WriteLine(ex.Message);
        Assert.StartsWith("live migration of VM 'vm-4' from 'h1' to 'h2' failed: virsh migrate failed: ", ex.Message, StringComparison.Ordinal);
        Assert.Contains(_lab.H2.Socket, ex.Message, StringComparison.Ordinal);
        Assert.EndsWith("; the migration was aborted and VM 'vm-4' is running on 'h1'", ex.Message, StringComparison.Ordinal);
        Assert.Equal(VmRunState.Running, await hypervisor.GetStateAsync("vm-4", "h1", CancellationToken.None));
        Assert.Equal("running (booted)", await _lab.VirshOkAsync(_lab.H1, "domstate", "--reason", "vm-4"));
        Assert.Contains(_logger.Collector.GetSnapshot(), e => e.Id.Id == 2212);
    }

    [Fact]
    public async Task LiveMigrateAsync_DestinationDaemonAndQemuKilledMidCopy_FailsAndVmRunsOnSourceWithRamIntact()
    {
        await _lab.StartDomainAsync(_lab.H1, "vm-7");
        var pattern = _lab.FillMemoryWithPattern(_lab.H1, "vm-7", seed: 17);
        var hypervisor = Create();
        var copying = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var migration = hypervisor.LiveMigrateAsync("vm-7", "h1", "h2", Slow, new SyncProgress(p =>
        {
            if (p.TransferredBytes > 0)
            {
                copying.TrySetResult();
            }
        }), CancellationToken.None);
        await copying.Task.WaitAsync(Bound);
        await _lab.H2.StopAsync();

        var ex = await Assert.ThrowsAsync<HypervisorException>(() => migration.WaitAsync(Bound));

        output.WriteLine(ex.Message);
        Assert.StartsWith("live migration of VM 'vm-7' from 'h1' to 'h2' failed: virsh migrate failed: ", ex.Message, StringComparison.Ordinal);
        Assert.EndsWith("; the migration was aborted and VM 'vm-7' is running on 'h1'", ex.Message, StringComparison.Ordinal);
        Assert.Equal(VmRunState.Running, await hypervisor.GetStateAsync("vm-7", "h1", CancellationToken.None));
        Assert.True(pattern.AsSpan().SequenceEqual(_lab.ReadMemory(_lab.H1, "vm-7")), "the guest RAM on h1 changed");
    }

    [Fact]
    public async Task LiveMigrateAsync_CancelledMidCopy_AbortsTheJobAndVmStaysOnSourceOnly()
    {
        await _lab.StartDomainAsync(_lab.H1, "vm-8");
        _lab.FillMemoryWithPattern(_lab.H1, "vm-8", seed: 18);
        var hypervisor = Create();
        using var cts = new CancellationTokenSource();

        // Killing virsh does not stop a peer-to-peer migration, which runs inside the source libvirtd (seen with
        // libvirt 9.0: the copy went on after virsh was SIGKILLed); the adapter must abort the job.
        var migration = hypervisor.LiveMigrateAsync("vm-8", "h1", "h2", Slow, new SyncProgress(p =>
        {
            if (p.TransferredBytes > 0)
            {
                cts.Cancel();
            }
        }), cts.Token);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => migration.WaitAsync(Bound));
        Assert.Equal(VmRunState.Running, await hypervisor.GetStateAsync("vm-8", "h1", CancellationToken.None));
        Assert.Equal(VmRunState.Absent, await EventuallyAsync(() => hypervisor.GetStateAsync("vm-8", "h2", CancellationToken.None), VmRunState.Absent));
        Assert.Equal(VmRunState.Running, await hypervisor.GetStateAsync("vm-8", "h1", CancellationToken.None));
        Assert.Contains(_logger.Collector.GetSnapshot(), e => e.Id.Id == 2212 && e.Message.Contains("the operation was cancelled", StringComparison.Ordinal));
    }

    [Fact]
    public async Task LiveMigrateAsync_LongerThanMigrationTimeout_AbortedAndVmStaysOnSourceOnly()
    {
        await _lab.StartDomainAsync(_lab.H1, "vm-9");
        var pattern = _lab.FillMemoryWithPattern(_lab.H1, "vm-9", seed: 19);
        var options = _lab.HypervisorOptions();
        options.MigrationTimeout = TimeSpan.FromSeconds(1);
        var hypervisor = Create(options);

        var ex = await Assert.ThrowsAsync<HypervisorException>(() => hypervisor.LiveMigrateAsync("vm-9", "h1", "h2", Slow, null, CancellationToken.None).WaitAsync(Bound));

        Assert.Equal("live migration of VM 'vm-9' from 'h1' to 'h2' failed: it did not finish within 1 s; the migration was aborted and VM 'vm-9' is running on 'h1'", ex.Message);
        Assert.IsType<TimeoutException>(ex.InnerException);
        Assert.Equal(VmRunState.Absent, await EventuallyAsync(() => hypervisor.GetStateAsync("vm-9", "h2", CancellationToken.None), VmRunState.Absent));
        // Never paused: libvirt still gives the reason it started with.
        Assert.Equal("running (booted)", await _lab.VirshOkAsync(_lab.H1, "domstate", "--reason", "vm-9"));
        Assert.True(pattern.AsSpan().SequenceEqual(_lab.ReadMemory(_lab.H1, "vm-9")), "the guest RAM on h1 changed");
    }

    [Fact]
    public async Task PauseThenResume_RunningDomain_PausedByUserThenRunningAndPauseMeasured()
    {
        await _lab.StartDomainAsync(_lab.H1, "vm-5");
        var pattern = _lab.FillMemoryWithPattern(_lab.H1, "vm-5", seed: 15);
        var hypervisor = Create();

        await hypervisor.PauseAsync("vm-5", "h1", CancellationToken.None).WaitAsync(Bound);
        Assert.Equal(VmRunState.Paused, await hypervisor.GetStateAsync("vm-5", "h1", CancellationToken.None));
        Assert.Equal("paused (user)", await _lab.VirshOkAsync(_lab.H1, "domstate", "--reason", "vm-5"));
        await hypervisor.PauseAsync("vm-5", "h1", CancellationToken.None).WaitAsync(Bound);
        await hypervisor.ResumeAsync("vm-5", "h1", CancellationToken.None).WaitAsync(Bound);

        Assert.Equal(VmRunState.Running, await hypervisor.GetStateAsync("vm-5", "h1", CancellationToken.None));
        Assert.Equal("running (unpaused)", await _lab.VirshOkAsync(_lab.H1, "domstate", "--reason", "vm-5"));
        var pause = hypervisor.LastPause("vm-5", "h1");
        Assert.NotNull(pause);
        Assert.InRange(pause.Value, TimeSpan.FromTicks(1), Bound);
        Assert.Contains(_logger.Collector.GetSnapshot(), e => e.Id.Id == 2221);
        Assert.True(pattern.AsSpan().SequenceEqual(_lab.ReadMemory(_lab.H1, "vm-5")), "guest RAM changed across the pause");
    }

    [Fact]
    public async Task ColdMigrateAsync_RunningDomain_RunsOnDestinationWithSameRam()
    {
        await _lab.StartDomainAsync(_lab.H1, "vm-6");
        var pattern = _lab.FillMemoryWithPattern(_lab.H1, "vm-6", seed: 16);
        var hypervisor = Create();

        var took = await hypervisor.ColdMigrateAsync("vm-6", "h1", "h2", CancellationToken.None).WaitAsync(Bound);

        Assert.Equal(VmRunState.Running, await hypervisor.GetStateAsync("vm-6", "h2", CancellationToken.None));
        Assert.Equal(VmRunState.Absent, await hypervisor.GetStateAsync("vm-6", "h1", CancellationToken.None));
        Assert.InRange(took, TimeSpan.FromMilliseconds(1), Bound);
        Assert.True(pattern.AsSpan().SequenceEqual(_lab.ReadMemory(_lab.H2, "vm-6")), "the guest RAM on h2 differs after the cold move");
    }

    [Fact]
    public async Task GetStateAsync_DomainTheDaemonDoesNotKnow_Absent()
    {
        var hypervisor = Create();

        Assert.Equal(VmRunState.Absent, await hypervisor.GetStateAsync("vm-unknown", "h1", CancellationToken.None));
        var ex = await Assert.ThrowsAsync<HypervisorException>(() => hypervisor.PauseAsync("vm-unknown", "h1", CancellationToken.None));
        Assert.Equal($"VM 'vm-unknown' is not defined on 'h1' ({_lab.H1.Uri}); nothing was changed", ex.Message);
    }

    /// <summary>Reads until the value is <paramref name="expected"/> or <see cref="Bound"/> passes; returns the last value read.</summary>
    private static async Task<T> EventuallyAsync<T>(Func<Task<T>> read, T expected)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        var value = await read();
        while (!EqualityComparer<T>.Default.Equals(value, expected) && waited.Elapsed < Bound)
        {
            await Task.Delay(50);
            value = await read();
        }

        return value;
    }

    private LibvirtHypervisor Create(bool peerToPeer = true) => Create(_lab.HypervisorOptions(peerToPeer));

    private LibvirtHypervisor Create(LibvirtHypervisorOptions configured)
    {
        var options = Options.Create(configured);
        return new LibvirtHypervisor(options, new VirshProcessRunner(options, TimeProvider.System), TimeProvider.System, _logger, new HypervisorMetrics(MeterFactory));
    }

    private sealed class SyncProgress(Action<MigrationProgress> report) : IProgress<MigrationProgress>
    {
        public void Report(MigrationProgress value) => report(value);
    }
}

using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using Predictor.Core.Hypervisors;
using Predictor.Execution.Hypervisors;
using Predictor.Execution.Hypervisors.Qmp;
using Predictor.Testing.Metrics;
using Predictor.Testing.Qemu;

namespace Predictor.IntegrationTests.Hypervisors.Qmp;

/// <summary>The QEMU adapter against real qemu-system-x86_64 processes (TCG, 64 MiB guests) on loopback.</summary>
public sealed class QemuHypervisorTests : IAsyncLifetime
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);
    private static readonly MigrationOptions Fast = new(TimeSpan.FromMilliseconds(300));

    /// <summary>4 MiB/s: a guest full of non-zero pages takes ~16 s, so faults land mid-copy.</summary>
    private static readonly MigrationOptions Slow = new(TimeSpan.FromMilliseconds(300), 4 * 1024 * 1024);

    private readonly FakeLogger<QemuHypervisor> _logger = new();
    private QemuLab _lab = null!;

    public Task InitializeAsync()
    {
        _lab = new QemuLab();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _lab.DisposeAsync();

    [Fact]
    public async Task LiveMigrateAsync_GuestRamHoldsPattern_DestinationRamByteIdenticalAndSourceRetired()
    {
        var (source, destination) = await StartPairAsync();
        var pattern = source.FillMemoryWithPattern(seed: 7);
        var hypervisor = CreateHypervisor(source, destination);
        var reports = new List<MigrationProgress>();

        var result = await hypervisor.LiveMigrateAsync("vm-1", "h1", "h2", Fast, new SyncProgress(reports.Add), CancellationToken.None).WaitAsync(Bound);

        Assert.Equal("running", await StatusAsync(destination));
        Assert.True(await source.WaitForExitAsync(TimeSpan.FromSeconds(10)), "the source QEMU should have been retired (quit)");
        Assert.True(pattern.AsSpan().SequenceEqual(destination.ReadMemory()), "destination RAM differs from the pattern written into the source");
        // QEMU reports whole milliseconds, and 0 ms happens when little is left to copy at switch-over.
        Assert.InRange(result.Downtime, TimeSpan.Zero, result.Duration);
        Assert.True(result.TransferredBytes >= QemuLab.MemoryBytes, $"only {result.TransferredBytes} bytes were sent for a 64 MiB guest full of data");
        Assert.Contains(_logger.Collector.GetSnapshot(), e => e.Id.Id == 2311 && e.Message.StartsWith("Live migration of VM vm-1 from h1 to h2 completed in ", StringComparison.Ordinal));
        Assert.Contains(_logger.Collector.GetSnapshot(), e => e.Id.Id == 2314 && e.Message == "Retired the source instance of VM vm-1 on h1");
    }

    [Fact]
    public async Task LiveMigrateAsync_RepeatedAfterSuccess_ReportsDoneWithoutTouchingTheVm()
    {
        var (source, destination) = await StartPairAsync();
        var hypervisor = CreateHypervisor(source, destination);
        await hypervisor.LiveMigrateAsync("vm-1", "h1", "h2", Fast, null, CancellationToken.None).WaitAsync(Bound);
        Assert.True(await source.WaitForExitAsync(TimeSpan.FromSeconds(10)));

        await hypervisor.LiveMigrateAsync("vm-1", "h1", "h2", Fast, null, CancellationToken.None).WaitAsync(Bound);

        Assert.Equal("running", await StatusAsync(destination));
        Assert.Contains(_logger.Collector.GetSnapshot(), e => e.Id.Id == 2315);
        Assert.Equal(VmRunState.Running, await hypervisor.GetStateAsync("vm-1", "h2", CancellationToken.None));
        Assert.Equal(VmRunState.Absent, await hypervisor.GetStateAsync("vm-1", "h1", CancellationToken.None));
    }

    [Fact]
    public async Task LiveMigrateAsync_MigrationAlreadyRunningFromEarlierAttempt_FollowsItToTheEnd()
    {
        var (source, destination) = await StartPairAsync();
        var pattern = source.FillMemoryWithPattern(seed: 31);
        await using (var src = await ObserveAsync(source))
        await using (var dst = await ObserveAsync(destination))
        {
            await src.ExecuteAsync("migrate-set-parameters", new() { ["max-bandwidth"] = 32L * 1024 * 1024 }, CancellationToken.None);
            await dst.ExecuteAsync("migrate-incoming", new() { ["uri"] = destination.IncomingUri }, CancellationToken.None);
            await src.ExecuteAsync("migrate", new() { ["uri"] = destination.IncomingUri }, CancellationToken.None);
        }

        var hypervisor = CreateHypervisor(source, destination);
        var result = await hypervisor.LiveMigrateAsync("vm-1", "h1", "h2", Fast, null, CancellationToken.None).WaitAsync(Bound);

        Assert.Equal("running", await StatusAsync(destination));
        Assert.True(await source.WaitForExitAsync(TimeSpan.FromSeconds(10)), "the source QEMU should have been retired (quit)");
        Assert.True(pattern.AsSpan().SequenceEqual(destination.ReadMemory()), "destination RAM differs from the pattern");
        Assert.True(result.TransferredBytes >= QemuLab.MemoryBytes);
        Assert.Contains(_logger.Collector.GetSnapshot(), e => e.Id.Id == 2317);
        Assert.DoesNotContain(_logger.Collector.GetSnapshot(), e => e.Id.Id == 2310);
    }

    [Fact]
    public async Task LiveMigrateAsync_DestinationKilledMidMigration_VmRunsOnSourceAndErrorSaysSo()
    {
        var (source, destination) = await StartPairAsync();
        var pattern = source.FillMemoryWithPattern(seed: 11);
        var hypervisor = CreateHypervisor(source, destination);
        var copying = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var migration = hypervisor.LiveMigrateAsync("vm-1", "h1", "h2", Slow, new SyncProgress(p =>
        {
            if (p.TransferredBytes > 0)
            {
                copying.TrySetResult();
            }
        }), CancellationToken.None);
        await copying.Task.WaitAsync(Bound);
        await destination.KillAsync();

        var ex = await Assert.ThrowsAsync<HypervisorException>(() => migration.WaitAsync(Bound));
        Assert.StartsWith("live migration of VM 'vm-1' from 'h1' to 'h2' failed: QEMU reports the migration failed: ", ex.Message, StringComparison.Ordinal);
        Assert.EndsWith("; the migration ended 'failed' and VM 'vm-1' is running on 'h1'", ex.Message, StringComparison.Ordinal);
        Assert.Equal("running", await StatusAsync(source));
        Assert.True(pattern.AsSpan().SequenceEqual(source.ReadMemory()), "the source's RAM changed");
        Assert.Contains(_logger.Collector.GetSnapshot(), e => e.Id.Id == 2312 && e.Level == LogLevel.Error);
    }

    [Fact]
    public async Task LiveMigrateAsync_CallerCancels_MigrationCancelledAndVmRunsOnSource()
    {
        var (source, destination) = await StartPairAsync();
        source.FillMemoryWithPattern(seed: 13);
        var hypervisor = CreateHypervisor(source, destination);
        using var cts = new CancellationTokenSource();

        var migration = hypervisor.LiveMigrateAsync("vm-1", "h1", "h2", Slow, new SyncProgress(p =>
        {
            if (p.TransferredBytes > 0)
            {
                cts.Cancel();
            }
        }), cts.Token);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => migration.WaitAsync(Bound));
        Assert.Equal("running", await StatusAsync(source));
        Assert.Equal("cancelled", await MigrationStatusAsync(source));
        Assert.True(await destination.WaitForExitAsync(TimeSpan.FromSeconds(20)), "the destination should exit once its incoming stream is cut");
        Assert.Contains(_logger.Collector.GetSnapshot(), e => e.Id.Id == 2312 && e.Message.EndsWith("VM state: the migration was cancelled and VM 'vm-1' is running on 'h1'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task LiveMigrateAsync_OperatorCancelsOnSource_ClearErrorAndVmRunsOnSource()
    {
        var (source, destination) = await StartPairAsync();
        source.FillMemoryWithPattern(seed: 17);
        var hypervisor = CreateHypervisor(source, destination);
        var copying = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var migration = hypervisor.LiveMigrateAsync("vm-1", "h1", "h2", Slow, new SyncProgress(p =>
        {
            if (p.TransferredBytes > 0)
            {
                copying.TrySetResult();
            }
        }), CancellationToken.None);
        await copying.Task.WaitAsync(Bound);

        await using (var observer = await ObserveAsync(source))
        {
            await observer.ExecuteAsync("migrate_cancel", null, CancellationToken.None);
        }

        var ex = await Assert.ThrowsAsync<HypervisorException>(() => migration.WaitAsync(Bound));
        Assert.Equal("live migration of VM 'vm-1' from 'h1' to 'h2' failed: the migration was cancelled on the source; the migration ended 'cancelled' and VM 'vm-1' is running on 'h1'", ex.Message);
        Assert.Equal("running", await StatusAsync(source));
    }

    [Fact]
    public async Task LiveMigrateAsync_QmpSocketClosedMidCommand_CancelledAndVmRunsOnSource()
    {
        var (source, destination) = await StartPairAsync();
        source.FillMemoryWithPattern(seed: 19);
        await using var proxy = new QmpDroppingProxy(Path.Combine(_lab.WorkDirectory, "proxy.qmp"), source.QmpSocket, "query-migrate", dropOnOccurrence: 2);
        var hypervisor = CreateHypervisor(source, destination, sourceSocket: proxy.Path);

        var ex = await Assert.ThrowsAsync<HypervisorException>(() =>
            hypervisor.LiveMigrateAsync("vm-1", "h1", "h2", Slow, null, CancellationToken.None).WaitAsync(Bound));

        Assert.True(proxy.Dropped);
        Assert.StartsWith($"live migration of VM 'vm-1' from 'h1' to 'h2' failed: QMP connection to {proxy.Path} closed while command 'query-migrate' was pending", ex.Message, StringComparison.Ordinal);
        Assert.EndsWith("; the migration was cancelled and VM 'vm-1' is running on 'h1'", ex.Message, StringComparison.Ordinal);
        Assert.Equal("running", await StatusAsync(source));
        Assert.Equal("cancelled", await MigrationStatusAsync(source));
    }

    [Fact]
    public async Task LiveMigrateAsync_DestinationNotIncoming_RefusesAndLeavesVmUntouched()
    {
        var source = await _lab.StartAsync("src", incoming: false);
        var other = await _lab.StartAsync("other", incoming: false);
        var hypervisor = CreateHypervisor(source, other, destinationUri: "tcp:127.0.0.1:" + QemuLab.FreeTcpPort());

        var ex = await Assert.ThrowsAsync<HypervisorException>(() =>
            hypervisor.LiveMigrateAsync("vm-1", "h1", "h2", Fast, null, CancellationToken.None).WaitAsync(Bound));

        Assert.Equal("the destination instance of VM 'vm-1' on 'h2' is 'running', not waiting for an incoming migration (start it with -incoming defer); VM 'vm-1' was not touched and is 'running' on 'h1'", ex.Message);
        Assert.Equal("none", await MigrationStatusAsync(source));
    }

    [Fact]
    public async Task PauseThenResume_RunningVm_PauseMeasuredAndRamIntact()
    {
        var source = await _lab.StartAsync("src", incoming: false);
        var pattern = source.FillMemoryWithPattern(seed: 23);
        var hypervisor = CreateHypervisor(source, null);

        await hypervisor.PauseAsync("vm-1", "h1", CancellationToken.None).WaitAsync(Bound);
        Assert.Equal("paused", await StatusAsync(source));
        Assert.Equal(VmRunState.Paused, await hypervisor.GetStateAsync("vm-1", "h1", CancellationToken.None));
        await hypervisor.PauseAsync("vm-1", "h1", CancellationToken.None).WaitAsync(Bound);
        await hypervisor.ResumeAsync("vm-1", "h1", CancellationToken.None).WaitAsync(Bound);

        Assert.Equal("running", await StatusAsync(source));
        var pause = hypervisor.LastPause("vm-1", "h1");
        Assert.NotNull(pause);
        Assert.InRange(pause.Value, TimeSpan.FromTicks(1), TimeSpan.FromSeconds(30));
        Assert.True(pattern.AsSpan().SequenceEqual(source.ReadMemory()), "guest RAM changed across the pause");
        Assert.Contains(_logger.Collector.GetSnapshot(), e => e.Id.Id == 2321);
    }

    [Fact]
    public async Task ColdMigrateAsync_RunningVm_RunsOnDestinationWithSameRam()
    {
        var (source, destination) = await StartPairAsync();
        var pattern = source.FillMemoryWithPattern(seed: 29);
        var hypervisor = CreateHypervisor(source, destination);

        var stopped = await hypervisor.ColdMigrateAsync("vm-1", "h1", "h2", CancellationToken.None).WaitAsync(Bound);

        Assert.Equal("running", await StatusAsync(destination));
        Assert.True(stopped > TimeSpan.Zero);
        Assert.True(await source.WaitForExitAsync(TimeSpan.FromSeconds(10)));
        Assert.True(pattern.AsSpan().SequenceEqual(destination.ReadMemory()), "destination RAM differs after the cold move");
    }

    [Fact]
    public async Task GetStateAsync_IncomingDestinationAndKilledSource_MigratingThenAbsent()
    {
        var (source, destination) = await StartPairAsync();
        var hypervisor = CreateHypervisor(source, destination);

        Assert.Equal(VmRunState.Running, await hypervisor.GetStateAsync("vm-1", "h1", CancellationToken.None));
        Assert.Equal(VmRunState.Migrating, await hypervisor.GetStateAsync("vm-1", "h2", CancellationToken.None));
        await source.KillAsync();
        Assert.Equal(VmRunState.Absent, await hypervisor.GetStateAsync("vm-1", "h1", CancellationToken.None));
    }

    private async Task<(QemuInstance Source, QemuInstance Destination)> StartPairAsync() =>
        (await _lab.StartAsync("src", incoming: false), await _lab.StartAsync("dst", incoming: true));

    private QemuHypervisor CreateHypervisor(QemuInstance source, QemuInstance? destination, string? sourceSocket = null, string? destinationUri = null)
    {
        var options = new QemuHypervisorOptions { ProgressPollInterval = TimeSpan.FromMilliseconds(50) };
        options.Instances.Add(new QemuInstanceOptions { Vm = "vm-1", Host = "h1", QmpSocket = sourceSocket ?? source.QmpSocket });
        if (destination is not null)
        {
            options.Instances.Add(new QemuInstanceOptions { Vm = "vm-1", Host = "h2", QmpSocket = destination.QmpSocket, IncomingUri = destinationUri ?? destination.IncomingUri });
        }

        return new QemuHypervisor(Options.Create(options), TimeProvider.System, _logger, new HypervisorMetrics(MeterFactory));
    }

    private static readonly IMeterFactory MeterFactory = new TestMeterFactory();

    private static Task<QmpClient> ObserveAsync(QemuInstance instance) =>
        QmpClient.ConnectAsync(instance.ObserverSocket, TimeSpan.FromSeconds(10), TimeProvider.System, NullLogger.Instance, CancellationToken.None);

    private static async Task<string> StatusAsync(QemuInstance instance)
    {
        await using var observer = await ObserveAsync(instance);
        return (await observer.ExecuteAsync("query-status", null, CancellationToken.None)).GetProperty("status").GetString()!;
    }

    private static async Task<string> MigrationStatusAsync(QemuInstance instance)
    {
        await using var observer = await ObserveAsync(instance);
        return QmpMigrationInfo.Parse(await observer.ExecuteAsync("query-migrate", null, CancellationToken.None)).Status;
    }

    private sealed class SyncProgress(Action<MigrationProgress> report) : IProgress<MigrationProgress>
    {
        public void Report(MigrationProgress value) => report(value);
    }
}

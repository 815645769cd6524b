using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Predictor.Core.Configuration;
using Predictor.Core.Hypervisors;

namespace Predictor.Execution.Hypervisors.Qmp;

/// <summary>
/// <see cref="IHypervisor"/> on QEMU through QMP. Each (VM, host) maps to a QMP socket from
/// <see cref="QemuHypervisorOptions"/>; a destination instance must already run with <c>-incoming defer</c>.
/// A live migration is verified (destination running, source post-migrate) before the source is retired;
/// a failed one is cancelled so the VM keeps running on the source, never on both and never on neither.
/// </summary>
internal sealed partial class QemuHypervisor : IHypervisor
{
    /// <summary>The rate QEMU is given when no cap is asked for (its own default is only 32 MiB/s).</summary>
    internal const long UnlimitedBandwidthBytesPerSecond = 100L * 1024 * 1024 * 1024;

    private readonly QemuHypervisorOptions _options;
    private readonly Dictionary<(string Vm, string Host), QemuInstanceOptions> _instances;
    private readonly TimeProvider _time;
    private readonly ILogger<QemuHypervisor> _logger;
    private readonly HypervisorMetrics _metrics;
    private readonly QemuProcesses _processes;
    private readonly ConcurrentDictionary<(string Vm, string Host), DateTimeOffset> _pausedAt = new();
    private readonly ConcurrentDictionary<(string Vm, string Host), TimeSpan> _lastPause = new();

    public QemuHypervisor(IOptions<QemuHypervisorOptions> options, TimeProvider time, ILogger<QemuHypervisor> logger, HypervisorMetrics metrics)
    {
        _options = options.Value;
        // a library caller may pass options no validator has seen
        var errors = OptionsGuard.Errors(_options);
        if (errors.Count > 0)
        {
            throw new OptionsValidationException(QemuHypervisorOptions.SectionName, typeof(QemuHypervisorOptions), errors);
        }

        _instances = _options.Instances.ToDictionary(i => (i.Vm, i.Host));
        _time = time;
        _logger = logger;
        _metrics = metrics;
        _processes = new QemuProcesses(time, logger);
    }

    /// <summary>The last pause of the VM on the host, from QEMU's STOP to its RESUME event; null if none was measured.</summary>
    public TimeSpan? LastPause(string vm, string host) => _lastPause.TryGetValue((vm, host), out var pause) ? pause : null;

    public async Task<VmRunState> GetStateAsync(string vm, string host, CancellationToken cancellationToken)
    {
        var instance = Resolve(vm, host);
        if (!File.Exists(instance.QmpSocket))
        {
            return VmRunState.Absent;
        }

        QmpClient client;
        try
        {
            client = await ConnectAsync(instance, cancellationToken);
        }
        catch (QmpConnectionException ex) when (ex.InnerException is System.Net.Sockets.SocketException)
        {
            return VmRunState.Absent;
        }
        catch (Exception ex) when (IsQmpFailure(ex))
        {
            throw new HypervisorException($"cannot read the state of VM '{vm}' on '{host}': {ex.Message}", ex);
        }

        await using (client)
        {
            try
            {
                var status = await QueryStatusAsync(client, cancellationToken);
                if (status == "running")
                {
                    var migration = await QueryMigrateAsync(client, cancellationToken);
                    return migration.IsInProgress ? VmRunState.Migrating : VmRunState.Running;
                }

                return MapStatus(status);
            }
            catch (Exception ex) when (IsQmpFailure(ex))
            {
                throw new HypervisorException($"cannot read the state of VM '{vm}' on '{host}': {ex.Message}", ex);
            }
        }
    }

    public Task<MigrationResult> LiveMigrateAsync(string vm, string fromHost, string toHost, MigrationOptions options, IProgress<MigrationProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.MaxDowntime <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.MaxDowntime, "MaxDowntime must be positive");
        }

        return MigrateAsync(vm, fromHost, toHost, options, progress, cold: false, cancellationToken);
    }

    /// <summary>Stop on the source, migrate the stopped VM, start it on the destination: the stopped time is returned.</summary>
    public async Task<TimeSpan> ColdMigrateAsync(string vm, string fromHost, string toHost, CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        var cold = new MigrationOptions(TimeSpan.FromSeconds(30), null, AutoConverge: false);
        await MigrateAsync(vm, fromHost, toHost, cold, null, cold: true, cancellationToken);
        var stopped = _time.GetElapsedTime(started);
        Log.ColdMigrationCompleted(_logger, vm, fromHost, toHost, (long)stopped.TotalMilliseconds);
        return stopped;
    }

    public async Task PauseAsync(string vm, string host, CancellationToken cancellationToken)
    {
        var instance = Resolve(vm, host);
        try
        {
            await using var client = await ConnectAsync(instance, cancellationToken);
            var status = await QueryStatusAsync(client, cancellationToken);
            if (status == "paused")
            {
                return;
            }

            if (status != "running")
            {
                throw new HypervisorException($"cannot pause VM '{vm}' on '{host}': it is '{status}', not running; nothing was changed");
            }

            var stopped = client.WaitForEventAsync(e => e.Name == "STOP", cancellationToken);
            await CommandAsync(client, "stop", null, cancellationToken);
            var evt = await stopped.WaitAsync(_options.CommandTimeout, _time, cancellationToken);
            _pausedAt[(vm, host)] = evt.Timestamp;
            Log.VmPaused(_logger, vm, host);
        }
        catch (Exception ex) when (IsQmpFailure(ex))
        {
            throw new HypervisorException($"pausing VM '{vm}' on '{host}' failed: {ex.Message}; {await DescribeStateAsync(instance)}", ex);
        }
    }

    public async Task ResumeAsync(string vm, string host, CancellationToken cancellationToken)
    {
        var instance = Resolve(vm, host);
        try
        {
            await using var client = await ConnectAsync(instance, cancellationToken);
            var status = await QueryStatusAsync(client, cancellationToken);
            if (status == "running")
            {
                return;
            }

            if (status != "paused")
            {
                throw new HypervisorException($"cannot resume VM '{vm}' on '{host}': it is '{status}', not paused; nothing was changed");
            }

            var resumed = client.WaitForEventAsync(e => e.Name == "RESUME", cancellationToken);
            await CommandAsync(client, "cont", null, cancellationToken);
            var evt = await resumed.WaitAsync(_options.CommandTimeout, _time, cancellationToken);
            if (_pausedAt.TryRemove((vm, host), out var pausedAt))
            {
                var pause = evt.Timestamp - pausedAt;
                _lastPause[(vm, host)] = pause;
                _metrics.RecordPause(pause, "qemu");
                Log.VmResumed(_logger, vm, host, (long)pause.TotalMilliseconds);
            }
            else
            {
                Log.VmResumedUnmeasured(_logger, vm, host);
            }
        }
        catch (Exception ex) when (IsQmpFailure(ex))
        {
            throw new HypervisorException($"resuming VM '{vm}' on '{host}' failed: {ex.Message}; {await DescribeStateAsync(instance)}", ex);
        }
    }

    private QemuInstanceOptions Resolve(string vm, string host) =>
        _instances.TryGetValue((vm, host), out var instance)
            ? instance
            : throw new HypervisorException($"no QEMU instance is configured for VM '{vm}' on host '{host}' (see {QemuHypervisorOptions.SectionName}:Instances); nothing was changed");

    private Task<QmpClient> ConnectAsync(QemuInstanceOptions instance, CancellationToken cancellationToken) =>
        QmpClient.ConnectAsync(instance.QmpSocket, _options.ConnectTimeout, _time, _logger, cancellationToken);

    private async Task<JsonElement> CommandAsync(QmpClient client, string command, JsonObject? arguments, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(_options.CommandTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            return await client.ExecuteAsync(command, arguments, linked.Token);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"QMP command '{command}' on {client.SocketPath} got no reply within {_options.CommandTimeout.TotalSeconds:0.###} s");
        }
    }

    private async Task<string> QueryStatusAsync(QmpClient client, CancellationToken cancellationToken)
    {
        var result = await CommandAsync(client, "query-status", null, cancellationToken);
        return result.GetProperty("status").GetString() ?? "unknown";
    }

    private async Task<QmpMigrationInfo> QueryMigrateAsync(QmpClient client, CancellationToken cancellationToken) =>
        QmpMigrationInfo.Parse(await CommandAsync(client, "query-migrate", null, cancellationToken));

    /// <summary>A one-line account of the VM's state for an error message, read on a fresh connection.</summary>
    private async Task<string> DescribeStateAsync(QemuInstanceOptions instance)
    {
        try
        {
            await using var client = await ConnectAsync(instance, CancellationToken.None);
            return $"VM '{instance.Vm}' is '{await QueryStatusAsync(client, CancellationToken.None)}' on '{instance.Host}'";
        }
        catch (Exception ex) when (IsQmpFailure(ex))
        {
            return $"the state of VM '{instance.Vm}' on '{instance.Host}' is unknown ({ex.Message})";
        }
    }

    internal static VmRunState MapStatus(string status) => status switch
    {
        "running" => VmRunState.Running,
        "postmigrate" => VmRunState.PostMigrate,
        "inmigrate" or "finish-migrate" => VmRunState.Migrating,
        "paused" or "suspended" or "io-error" or "watchdog" or "debug" or "save-vm" or "restore-vm" or "colo" => VmRunState.Paused,
        _ => VmRunState.Stopped,
    };

    private static bool IsQmpFailure(Exception ex) =>
        ex is QmpConnectionException or QmpCommandException or TimeoutException or JsonException or KeyNotFoundException or InvalidOperationException;
}

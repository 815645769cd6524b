using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Predictor.Core.Configuration;
using Predictor.Core.Hypervisors;

namespace Predictor.Execution.Hypervisors.Libvirt;

/// <summary>
/// <see cref="IHypervisor"/> on libvirt through virsh (argument lists, C locale). Live migration runs
/// <c>virsh migrate --live [--p2p] --persistent --undefinesource</c> to the destination's URI while
/// <c>domjobinfo</c> reports progress; success is verified (running on the destination, gone or migrated
/// on the source) and the downtime read from the destination's completed job. On failure the job is
/// aborted and the VM resumed on the source if it was left paused.
/// </summary>
internal sealed class LibvirtHypervisor : IHypervisor
{
    private readonly LibvirtHypervisorOptions _options;
    private readonly Dictionary<string, LibvirtHostOptions> _hosts;
    private readonly IVirshRunner _virsh;
    private readonly TimeProvider _time;
    private readonly ILogger<LibvirtHypervisor> _logger;
    private readonly HypervisorMetrics _metrics;
    private readonly ConcurrentDictionary<(string Vm, string Host), long> _pausedAt = new();
    private readonly ConcurrentDictionary<(string Vm, string Host), TimeSpan> _lastPause = new();

    public LibvirtHypervisor(IOptions<LibvirtHypervisorOptions> options, IVirshRunner virsh, TimeProvider time, ILogger<LibvirtHypervisor> logger, HypervisorMetrics metrics)
    {
        _options = options.Value;
        // a library caller may pass options no validator has seen
        var errors = OptionsGuard.Errors(_options);
        if (errors.Count > 0)
        {
            throw new OptionsValidationException(LibvirtHypervisorOptions.SectionName, typeof(LibvirtHypervisorOptions), errors);
        }

        _hosts = _options.Hosts.ToDictionary(h => h.Host, StringComparer.Ordinal);
        _virsh = virsh;
        _time = time;
        _logger = logger;
        _metrics = metrics;
    }

    /// <summary>The last pause of the VM on the host, suspend to resume as this process saw it; null if none was measured.</summary>
    public TimeSpan? LastPause(string vm, string host) => _lastPause.TryGetValue((vm, host), out var pause) ? pause : null;

    public async Task<VmRunState> GetStateAsync(string vm, string host, CancellationToken cancellationToken) =>
        (await ReadStateAsync(vm, host, cancellationToken))?.RunState ?? VmRunState.Absent;

    public Task<MigrationResult> LiveMigrateAsync(string vm, string fromHost, string toHost, MigrationOptions options, IProgress<MigrationProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        return MigrateAsync(vm, fromHost, toHost, options, progress, live: true, cancellationToken);
    }

    /// <summary>A non-live libvirt migration: the VM is paused while its memory is copied, then runs on the destination.</summary>
    public async Task<TimeSpan> ColdMigrateAsync(string vm, string fromHost, string toHost, CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        await MigrateAsync(vm, fromHost, toHost, new MigrationOptions(TimeSpan.FromSeconds(30), AutoConverge: false), null, live: false, cancellationToken);
        return _time.GetElapsedTime(started);
    }

    public async Task PauseAsync(string vm, string host, CancellationToken cancellationToken)
    {
        var state = await RequireStateAsync(vm, host, cancellationToken);
        if (state.RunState == VmRunState.Paused)
        {
            return;
        }

        if (state.RunState != VmRunState.Running)
        {
            throw new HypervisorException($"cannot pause VM '{vm}' on '{host}': it is '{state}', not running; nothing was changed");
        }

        await RunOrThrowAsync(host, ["suspend", vm], $"pausing VM '{vm}' on '{host}'", vm, cancellationToken);
        _pausedAt[(vm, host)] = _time.GetTimestamp();
        Log.VmPaused(_logger, vm, host);
    }

    public async Task ResumeAsync(string vm, string host, CancellationToken cancellationToken)
    {
        var state = await RequireStateAsync(vm, host, cancellationToken);
        if (state.RunState == VmRunState.Running)
        {
            return;
        }

        if (state.RunState != VmRunState.Paused)
        {
            throw new HypervisorException($"cannot resume VM '{vm}' on '{host}': it is '{state}', not paused; nothing was changed");
        }

        await RunOrThrowAsync(host, ["resume", vm], $"resuming VM '{vm}' on '{host}'", vm, cancellationToken);
        if (_pausedAt.TryRemove((vm, host), out var pausedAt))
        {
            var pause = _time.GetElapsedTime(pausedAt);
            _lastPause[(vm, host)] = pause;
            _metrics.RecordPause(pause, "libvirt");
            Log.VmResumed(_logger, vm, host, (long)pause.TotalMilliseconds);
        }
        else
        {
            Log.VmResumedUnmeasured(_logger, vm, host);
        }
    }

    private async Task<MigrationResult> MigrateAsync(string vm, string from, string to, MigrationOptions options, IProgress<MigrationProgress>? progress, bool live, CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        var destination = Resolve(to);
        var sourceState = await RequireStateAsync(vm, from, cancellationToken);
        if (sourceState.RunState != VmRunState.Running && !(sourceState.RunState == VmRunState.Paused && !live))
        {
            throw new HypervisorException($"VM '{vm}' is '{sourceState}' on '{from}', not running; it was not migrated and nothing was changed");
        }

        var downtimeMs = (long)Math.Ceiling(options.MaxDowntime.TotalMilliseconds);
        if (live)
        {
            await RunOrThrowAsync(from, ["migrate-setmaxdowntime", vm, Invariant(downtimeMs)], $"setting the downtime limit of VM '{vm}' on '{from}'", vm, cancellationToken);
        }

        var arguments = MigrateArguments(vm, destination, options, live);
        Log.MigrationStarted(_logger, vm, from, to, downtimeMs, string.Join(' ', arguments));
        using var watching = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var watcher = progress is null ? Task.CompletedTask : WatchAsync(vm, from, progress, watching.Token);
        string? failure = null;
        Exception? inner = null;
        try
        {
            var result = await _virsh.RunAsync(WithUri(from, arguments), _options.MigrationTimeout, cancellationToken);
            if (!result.Succeeded)
            {
                failure = $"virsh migrate failed: {result.Error}";
            }
        }
        catch (TimeoutException ex)
        {
            (failure, inner) = ($"it did not finish within {_options.MigrationTimeout.TotalSeconds:0.###} s", ex);
        }
        catch (OperationCanceledException ex)
        {
            (failure, inner) = ("the operation was cancelled", ex);
        }
        finally
        {
            await watching.CancelAsync();
            await watcher.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        if (failure is not null)
        {
            var state = await RecoverAsync(vm, from);
            Log.MigrationFailed(_logger, vm, from, to, failure, state);
            _metrics.RecordMigrationFailure("libvirt");
            cancellationToken.ThrowIfCancellationRequested();
            throw new HypervisorException($"live migration of VM '{vm}' from '{from}' to '{to}' failed: {failure}; {state}", inner);
        }

        return await VerifyAsync(vm, from, to, downtimeMs, started, cancellationToken);
    }

    private List<string> MigrateArguments(string vm, LibvirtHostOptions destination, MigrationOptions options, bool live)
    {
        var arguments = new List<string> { "migrate" };
        if (live)
        {
            arguments.Add("--live");
        }

        if (_options.PeerToPeer)
        {
            arguments.Add("--p2p");
        }

        arguments.AddRange(["--persistent", "--undefinesource"]);
        if (live && options.AutoConverge)
        {
            arguments.Add("--auto-converge");
        }

        if (options.MaxBandwidthBytesPerSecond is { } bytes)
        {
            // virsh takes MiB/s; never round a cap up past what was asked, nor down to "unlimited" (0).
            arguments.AddRange(["--bandwidth", Invariant(Math.Max(1, (long)Math.Floor(bytes / (1024 * 1024))))]);
        }

        if (destination.MigrationUri is { } migrationUri)
        {
            arguments.AddRange(["--migrateuri", migrationUri]);
        }

        if (destination.MigrationListenAddress is { } listenAddress)
        {
            arguments.AddRange(["--listen-address", listenAddress]);
        }

        arguments.AddRange([vm, destination.Uri]);
        return arguments;
    }

    private async Task WatchAsync(string vm, string from, IProgress<MigrationProgress> progress, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            await Task.Delay(_options.ProgressPollInterval, _time, cancellationToken);
            var result = await _virsh.RunAsync(WithUri(from, ["domjobinfo", vm]), _options.CommandTimeout, cancellationToken);
            if (result.Succeeded)
            {
                var job = VirshJobInfo.Parse(result.StandardOutput);
                // A job that has just begun has no memory figures yet; reporting zeros would read as "done".
                if (job is { JobType: "Unbounded", DataProcessedBytes: { } processed, DataRemainingBytes: { } remaining })
                {
                    progress.Report(new MigrationProgress(processed, remaining, job.Iteration));
                }
            }
        }
    }

    private async Task<MigrationResult> VerifyAsync(string vm, string from, string to, long downtimeLimitMs, long started, CancellationToken cancellationToken)
    {
        var duration = _time.GetElapsedTime(started);
        var destinationState = await ReadStateAsync(vm, to, cancellationToken);
        if (destinationState?.RunState != VmRunState.Running)
        {
            var sourceState = await ReadStateAsync(vm, from, cancellationToken);
            throw new HypervisorException($"virsh migrate of VM '{vm}' reported success but the VM is '{destinationState?.ToString() ?? "absent"}' on '{to}' and '{sourceState?.ToString() ?? "absent"}' on '{from}'; check both by hand");
        }

        var leftOnSource = await ReadStateAsync(vm, from, cancellationToken);
        if (leftOnSource is { } left && left.RunState is not (VmRunState.PostMigrate or VmRunState.Stopped))
        {
            throw new HypervisorException($"VM '{vm}' runs on '{to}' but is still '{left}' on '{from}'; check '{from}' by hand before anything restarts it");
        }

        var job = await _virsh.RunAsync(WithUri(to, ["domjobinfo", "--completed", vm]), _options.CommandTimeout, cancellationToken);
        var completed = job.Succeeded ? VirshJobInfo.Parse(job.StandardOutput) : null;
        var downtime = TimeSpan.FromMilliseconds(completed?.TotalDowntimeMs ?? 0);
        _metrics.RecordMigration(duration, downtime, "libvirt");
        Log.MigrationCompleted(_logger, vm, from, to, (long)duration.TotalMilliseconds, (long)downtime.TotalMilliseconds, downtimeLimitMs);
        return new MigrationResult(duration, downtime, completed?.DataProcessedBytes ?? 0);
    }

    /// <summary>Aborts whatever job is left and makes sure the VM runs on the source; returns its state for the message.</summary>
    private async Task<string> RecoverAsync(string vm, string from)
    {
        try
        {
            await _virsh.RunAsync(WithUri(from, ["domjobabort", vm]), _options.CommandTimeout, CancellationToken.None);
            var state = await ReadStateAsync(vm, from, CancellationToken.None);
            if (state?.RunState is VmRunState.Paused or VmRunState.Migrating)
            {
                var resumed = await _virsh.RunAsync(WithUri(from, ["resume", vm]), _options.CommandTimeout, CancellationToken.None);
                if (!resumed.Succeeded)
                {
                    return $"VM '{vm}' is '{state}' on '{from}' and could not be resumed: {resumed.Error}";
                }

                state = await ReadStateAsync(vm, from, CancellationToken.None);
            }

            return state is null
                ? $"VM '{vm}' is no longer defined on '{from}'; check the destination by hand"
                : state.RunState == VmRunState.Running
                    ? $"the migration was aborted and VM '{vm}' is running on '{from}'"
                    : $"the migration was aborted and VM '{vm}' is '{state}' on '{from}'";
        }
        catch (Exception ex) when (ex is TimeoutException or HypervisorException or FormatException or InvalidOperationException)
        {
            return $"the state of VM '{vm}' on '{from}' is unknown: {ex.Message}";
        }
    }

    /// <summary>The domain's state, or null when the host's libvirtd does not know the domain.</summary>
    private async Task<VirshDomainState?> ReadStateAsync(string vm, string host, CancellationToken cancellationToken)
    {
        var result = await _virsh.RunAsync(WithUri(host, ["domstate", "--reason", vm]), _options.CommandTimeout, cancellationToken);
        if (result.Succeeded)
        {
            return VirshDomainState.Parse(result.StandardOutput);
        }

        if (result.StandardError.Contains("Domain not found", StringComparison.Ordinal) || result.StandardError.Contains("failed to get domain", StringComparison.Ordinal))
        {
            return null;
        }

        throw new HypervisorException($"cannot read the state of VM '{vm}' on '{host}': {result.Error}");
    }

    private async Task<VirshDomainState> RequireStateAsync(string vm, string host, CancellationToken cancellationToken) =>
        await ReadStateAsync(vm, host, cancellationToken)
            ?? throw new HypervisorException($"VM '{vm}' is not defined on '{host}' ({Resolve(host).Uri}); nothing was changed");

    private async Task RunOrThrowAsync(string host, List<string> arguments, string what, string vm, CancellationToken cancellationToken)
    {
        var result = await _virsh.RunAsync(WithUri(host, arguments), _options.CommandTimeout, cancellationToken);
        if (!result.Succeeded)
        {
            var state = await ReadStateAsync(vm, host, CancellationToken.None);
            throw new HypervisorException($"{what} failed: {result.Error}; VM '{vm}' is '{state?.ToString() ?? "absent"}' on '{host}'");
        }
    }

    private List<string> WithUri(string host, List<string> arguments) => ["-c", Resolve(host).Uri, .. arguments];

    private LibvirtHostOptions Resolve(string host) =>
        _hosts.TryGetValue(host, out var options)
            ? options
            : throw new HypervisorException($"no libvirt URI is configured for host '{host}' (see {LibvirtHypervisorOptions.SectionName}:Hosts); nothing was changed");

    private static string Invariant(long value) => value.ToString(CultureInfo.InvariantCulture);
}

using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Predictor.Core.Hypervisors;

namespace Predictor.Execution.Hypervisors.Qmp;

/// <summary>
/// Hypervisor hot restart on QEMU: a replacement process is started from the instance's command with its own QMP socket
/// (<c>QmpSocket.next.OLDPID</c>) and <c>-incoming defer</c>; both processes get the <c>x-ignore-shared</c> capability, so the
/// local migration over a unix socket (<c>QmpSocket.hotrestart</c>) skips the guest RAM that both map from the same
/// shared backend and sends only device state. Once the new process runs and the old one is post-migrate, the old one
/// quits and the new socket takes the configured path, so every later call reaches the new process. Until then a
/// failure cancels the migration and retires the new process: the VM keeps running in the old one.
/// </summary>
internal sealed partial class QemuHypervisor : IHotRestartHypervisor
{
    /// <summary>How guest RAM is handed over: mapped by both processes, skipped by the migration stream.</summary>
    internal const string HotRestartMode = "x-ignore-shared";

    /// <summary>Longest unix socket path Linux accepts (sun_path is 108 bytes with its terminator).</summary>
    private const int MaxSocketPathBytes = 107;

    /// <summary>
    /// The replacement's QMP socket while it takes over from process <paramref name="oldPid"/>. Unique per generation: a
    /// QEMU unlinks the path it bound when it quits, so a retired replacement must not take its successor's socket along.
    /// </summary>
    internal static string NextSocket(QemuInstanceOptions instance, int oldPid) =>
        instance.QmpSocket + ".next." + oldPid.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The replacement sockets a crash may have left, newest generation unknown: whatever matches <c>QmpSocket.next.*</c>.</summary>
    internal static IReadOnlyList<string> NextSockets(QemuInstanceOptions instance)
    {
        var directory = Path.GetDirectoryName(instance.QmpSocket)!;
        return Directory.Exists(directory) ? Directory.GetFiles(directory, Path.GetFileName(instance.QmpSocket) + ".next.*") : [];
    }

    internal static string MigrationSocket(QemuInstanceOptions instance) => instance.QmpSocket + ".hotrestart";

    public async Task<string?> HotRestartBlockerAsync(string vm, string host, CancellationToken cancellationToken)
    {
        if (!_instances.TryGetValue((vm, host), out var instance))
        {
            return $"no QEMU instance is configured for VM '{vm}' on host '{host}' (see {QemuHypervisorOptions.SectionName}:Instances)";
        }

        if (ConfigurationBlocker(instance) is { } blocker)
        {
            return blocker;
        }

        try
        {
            await using var client = await ConnectAsync(instance, cancellationToken);
            return await ProcessBlockerAsync(client, instance, cancellationToken);
        }
        catch (Exception ex) when (IsQmpFailure(ex))
        {
            return $"VM '{vm}' on '{host}' cannot be asked over QMP: {ex.Message}";
        }
    }

    public async Task<HotRestartResult> HotRestartAsync(string vm, string host, CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        var instance = Resolve(vm, host);
        if (ConfigurationBlocker(instance) is { } blocker)
        {
            throw new HypervisorException($"VM '{vm}' was not hot-restarted: {blocker}; nothing was changed");
        }

        QmpClient src;
        try
        {
            src = await ConnectAsync(instance, cancellationToken);
        }
        catch (Exception ex) when (IsQmpFailure(ex))
        {
            throw new HypervisorException($"cannot reach VM '{vm}' on '{host}' to hot-restart it: {ex.Message}; nothing was changed", ex);
        }

        await using (src)
        {
            int oldPid;
            try
            {
                blocker = await ProcessBlockerAsync(src, instance, cancellationToken);
                oldPid = src.PeerProcessId ?? throw new InvalidOperationException($"the process behind {instance.QmpSocket} cannot be identified (no SO_PEERCRED)");
            }
            catch (Exception ex) when (IsQmpFailure(ex))
            {
                throw new HypervisorException($"hot restart of VM '{vm}' on '{host}' could not start: {ex.Message}; nothing was changed", ex);
            }

            if (blocker is not null)
            {
                throw new HypervisorException($"VM '{vm}' was not hot-restarted: {blocker}; nothing was changed");
            }

            var replacement = await StartReplacementAsync(instance, oldPid, cancellationToken);
            var next = new QemuInstanceOptions { Vm = vm, Host = host, QmpSocket = NextSocket(instance, oldPid) };
            var dst = replacement.Client;
            var newPid = replacement.Pid;
            Log.HotRestartStarting(_logger, vm, host, newPid, oldPid);
            TimeSpan? blackout = null;
            QmpMigrationInfo info;
            var source = (QmpClient?)src;
            using var deadline = new CancellationTokenSource(_options.MigrationTimeout, _time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
            try
            {
                await using (dst)
                {
                    (info, blackout) = await SwapAsync(vm, host, instance, src, dst, linked.Token);
                }
            }
            catch (Exception ex) when (IsQmpFailure(ex) || ex is MigrationAbortedException or OperationCanceledException)
            {
                var reason = ex is OperationCanceledException && deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested
                    ? $"it did not finish within {_options.MigrationTimeout.TotalSeconds:0.###} s"
                    : ex.Message;
                await src.DisposeAsync();
                source = null;
                var recovery = await RecoverAsync(vm, host, host, instance, next, reason, resumeSource: false);
                if (recovery.Completed is null)
                {
                    var state = await RetireReplacementAsync(instance, next.QmpSocket, newPid);
                    Log.HotRestartFailed(_logger, vm, host, reason, state);
                    if (ex is OperationCanceledException && cancellationToken.IsCancellationRequested)
                    {
                        throw;
                    }

                    throw new HypervisorException($"hot restart of VM '{vm}' on '{host}' failed: {reason}; {recovery.State}; {state}", ex);
                }

                info = recovery.Completed;
            }

            await PromoteAsync(instance, next.QmpSocket, source, oldPid);
            var duration = _time.GetElapsedTime(started);
            var pause = blackout ?? TimeSpan.FromMilliseconds(info.DowntimeMs ?? 0);
            _metrics.RecordHotRestart(pause, "qemu");
            Log.HotRestartCompleted(_logger, vm, host, (long)duration.TotalMilliseconds, oldPid, newPid, pause.TotalMilliseconds, info.DowntimeMs ?? -1, info.TransferredBytes, HotRestartMode);
            return new HotRestartResult(pause, duration, HotRestartMode);
        }
    }

    /// <summary>What the configuration alone rules out: no command to start a replacement, or socket paths too long.</summary>
    private static string? ConfigurationBlocker(QemuInstanceOptions instance) =>
        instance.HotRestartCommand is null or { Count: 0 }
            ? $"{QemuHypervisorOptions.SectionName} instance of VM '{instance.Vm}' on '{instance.Host}' has no {nameof(QemuInstanceOptions.HotRestartCommand)} to start a replacement process from"
            : Encoding.UTF8.GetByteCount(MigrationSocket(instance)) > MaxSocketPathBytes
                ? $"the hot-restart socket '{MigrationSocket(instance)}' of VM '{instance.Vm}' is longer than the {MaxSocketPathBytes} bytes a unix socket path may have; shorten its QmpSocket"
                : null;

    /// <summary>What the running process rules out: not running, no <c>x-ignore-shared</c>, or guest RAM that is not shared.</summary>
    private async Task<string?> ProcessBlockerAsync(QmpClient client, QemuInstanceOptions instance, CancellationToken cancellationToken)
    {
        var (vm, host) = (instance.Vm, instance.Host);
        var status = await QueryStatusAsync(client, cancellationToken);
        if (status != "running")
        {
            return $"VM '{vm}' is '{status}' on '{host}', not running";
        }

        var capabilities = await CommandAsync(client, "query-migrate-capabilities", null, cancellationToken);
        if (!capabilities.EnumerateArray().Any(c => c.GetProperty("capability").GetString() == HotRestartMode))
        {
            return $"QEMU {client.QemuVersion} of VM '{vm}' on '{host}' lacks the {HotRestartMode} migration capability, so its RAM would be copied";
        }

        var backends = await CommandAsync(client, "query-memdev", null, cancellationToken);
        if (backends.GetArrayLength() == 0)
        {
            return $"the guest RAM of VM '{vm}' on '{host}' is in no memory backend; start QEMU with -object memory-backend-file,id=ID,mem-path=PATH,share=on -machine memory-backend=ID";
        }

        var unshared = backends.EnumerateArray()
            .Where(b => !(b.TryGetProperty("share", out var share) && share.ValueKind == JsonValueKind.True))
            .Select(b => b.TryGetProperty("id", out var id) ? id.GetString() : "?")
            .ToList();
        return unshared.Count > 0
            ? $"memory backend {string.Join(", ", unshared)} of VM '{vm}' on '{host}' is not shared (share=on), so a new process could not take the guest RAM over"
            : null;
    }

    /// <summary>Starts the replacement process and connects to it once its QMP socket listens.</summary>
    private async Task<(QmpClient Client, int Pid)> StartReplacementAsync(QemuInstanceOptions instance, int oldPid, CancellationToken cancellationToken)
    {
        var (vm, host) = (instance.Vm, instance.Host);
        var next = NextSocket(instance, oldPid);
        File.Delete(next);
        File.Delete(MigrationSocket(instance));
        QemuProcesses.Started process;
        try
        {
            process = _processes.Start(instance, next);
        }
        catch (InvalidOperationException ex)
        {
            throw new HypervisorException($"hot restart of VM '{vm}' on '{host}' could not start a new QEMU: {ex.Message}; the VM keeps running in process {oldPid}", ex);
        }

        var waited = _time.GetTimestamp();
        try
        {
            return await AwaitReplacementAsync(instance, process, next, oldPid, waited, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // the caller gave up while the new process started: it must not outlive the attempt
            QemuProcesses.Kill(process.Process.Id);
            File.Delete(next);
            throw;
        }
    }

    private async Task<(QmpClient Client, int Pid)> AwaitReplacementAsync(
        QemuInstanceOptions instance, QemuProcesses.Started process, string next, int oldPid, long waited, CancellationToken cancellationToken)
    {
        var (vm, host) = (instance.Vm, instance.Host);
        while (true)
        {
            if (File.Exists(next))
            {
                try
                {
                    var client = await ConnectAsync(new QemuInstanceOptions { Vm = vm, Host = host, QmpSocket = next }, cancellationToken);
                    return (client, client.PeerProcessId ?? process.Process.Id);
                }
                catch (QmpConnectionException) when (_time.GetElapsedTime(waited) < _options.SwitchOverTimeout)
                {
                    // bound but not listening yet: try again
                }
            }

            var exited = process.Process.HasExited;
            if ((exited && process.Process.ExitCode != 0) || _time.GetElapsedTime(waited) >= _options.SwitchOverTimeout)
            {
                if (!exited)
                {
                    QemuProcesses.Kill(process.Process.Id);
                }

                File.Delete(next);
                var why = exited
                    ? $"it exited with code {process.Process.ExitCode}"
                    : $"its QMP socket {next} did not answer within {_options.SwitchOverTimeout.TotalSeconds:0.###} s";
                throw new HypervisorException($"hot restart of VM '{vm}' on '{host}': the new QEMU did not start ({why}; output: {process.OutputTail()}); the VM keeps running in process {oldPid}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(10), _time, cancellationToken);
        }
    }

    /// <summary>The local migration with RAM shared: returns QEMU's account and the pause from the old process's STOP to the new one's RESUME.</summary>
    private async Task<(QmpMigrationInfo Info, TimeSpan? Blackout)> SwapAsync(string vm, string host, QemuInstanceOptions instance, QmpClient src, QmpClient dst, CancellationToken cancellationToken)
    {
        var status = await QueryStatusAsync(dst, cancellationToken);
        if (status != "inmigrate")
        {
            throw new MigrationAbortedException($"the new QEMU of VM '{vm}' on '{host}' is '{status}', not waiting for an incoming migration");
        }

        var capabilities = new JsonObject
        {
            ["capabilities"] = new JsonArray(
                new JsonObject { ["capability"] = HotRestartMode, ["state"] = true },
                new JsonObject { ["capability"] = "events", ["state"] = true }),
        };
        var uri = "unix:" + MigrationSocket(instance);
        await CommandAsync(dst, "migrate-set-capabilities", capabilities.DeepClone().AsObject(), cancellationToken);
        await CommandAsync(src, "migrate-set-capabilities", capabilities, cancellationToken);
        await CommandAsync(src, "migrate-set-parameters", new JsonObject { ["max-bandwidth"] = UnlimitedBandwidthBytesPerSecond }, cancellationToken);
        await CommandAsync(dst, "migrate-incoming", new JsonObject { ["uri"] = uri }, cancellationToken);
        var stopped = src.WaitForEventAsync(e => e.Name == "STOP", cancellationToken);
        var resumed = dst.WaitForEventAsync(e => e.Name == "RESUME", cancellationToken);
        var finished = src.WaitForEventAsync(e => e.MigrationStatus is "completed" or "failed" or "cancelled", cancellationToken);
        await CommandAsync(src, "migrate", new JsonObject { ["uri"] = uri }, cancellationToken);
        var info = await WatchAsync(src, finished, null, cancellationToken);
        if (!info.IsCompleted)
        {
            throw new MigrationAbortedException(info.Status == "cancelled"
                ? "the migration to the new process was cancelled"
                : $"QEMU reports the migration to the new process {info.Status}: {info.ErrorDescription ?? "no reason given"}");
        }

        await AwaitSwitchOverAsync(vm, host, src, dst, cold: false, cancellationToken);
        using var events = new CancellationTokenSource(_options.CommandTimeout, _time);
        try
        {
            var stop = await stopped.WaitAsync(events.Token);
            var resume = await resumed.WaitAsync(events.Token);
            return (info, resume.Timestamp - stop.Timestamp);
        }
        catch (OperationCanceledException) when (events.IsCancellationRequested)
        {
            // both processes confirmed the switch-over; without the events the blackout is QEMU's own downtime figure
            return (info, null);
        }
    }

    /// <summary>The new process runs the VM: the old one quits (killed if it will not), then the new socket takes the configured path.</summary>
    private async Task PromoteAsync(QemuInstanceOptions instance, string next, QmpClient? src, int oldPid)
    {
        try
        {
            await RetireAsync(instance, src);
        }
        catch (Exception ex) when (IsQmpFailure(ex))
        {
            // not answering: the wait below kills it
        }

        if (src is not null)
        {
            await src.DisposeAsync();
        }

        // the old process unlinks its socket path as it exits: the new socket may take the path only after that
        if (!await _processes.WaitForExitAsync(oldPid, _options.SwitchOverTimeout, _options.ProgressPollInterval))
        {
            throw new HypervisorException($"VM '{instance.Vm}' runs in its new QEMU on '{instance.Host}' (QMP at {next}), but the old process {oldPid} did not exit even when killed; end it, then rename the socket to {instance.QmpSocket}");
        }

        File.Move(next, instance.QmpSocket, overwrite: true);
        File.Delete(MigrationSocket(instance));
    }

    /// <summary>The swap did not happen: the replacement process quits (or is killed) and its sockets go; says where the VM runs.</summary>
    private async Task<string> RetireReplacementAsync(QemuInstanceOptions instance, string next, int newPid)
    {
        try
        {
            await using var dst = await ConnectAsync(new QemuInstanceOptions { Vm = instance.Vm, Host = instance.Host, QmpSocket = next }, CancellationToken.None);
            await CommandAsync(dst, "quit", null, CancellationToken.None);
        }
        catch (Exception ex) when (IsQmpFailure(ex))
        {
            // not answering: it is killed below
        }

        var gone = await _processes.WaitForExitAsync(newPid, _options.SwitchOverTimeout, _options.ProgressPollInterval);
        File.Delete(next);
        File.Delete(MigrationSocket(instance));
        return gone
            ? $"the new process {newPid} was retired and VM '{instance.Vm}' keeps its old process on '{instance.Host}'"
            : $"the new process {newPid} did not exit even when killed; end it by hand";
    }
}

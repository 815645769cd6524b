using System.Text.Json.Nodes;
using Predictor.Core.Hypervisors;

namespace Predictor.Execution.Hypervisors.Qmp;

internal sealed partial class QemuHypervisor
{
    private async Task<MigrationResult> MigrateAsync(string vm, string from, string to, MigrationOptions options, IProgress<MigrationProgress>? progress, bool cold, CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        var source = Resolve(vm, from);
        var destination = Resolve(vm, to);
        if (destination.IncomingUri is not { } uri)
        {
            throw new HypervisorException($"VM '{vm}' has no IncomingUri configured on host '{to}', so it cannot migrate there; VM '{vm}' was not touched on '{from}'");
        }

        QmpClient src;
        try
        {
            src = await ConnectAsync(source, cancellationToken);
        }
        catch (Exception ex) when (IsQmpFailure(ex))
        {
            if (ex is QmpConnectionException { InnerException: System.Net.Sockets.SocketException } && await DestinationRunsAsync(destination, cancellationToken))
            {
                // The source instance is gone and the destination runs: an earlier attempt finished and retired the source.
                Log.MigrationAlreadyDone(_logger, vm, from, to, "gone");
                return new MigrationResult(_time.GetElapsedTime(started), TimeSpan.Zero, 0);
            }

            throw new HypervisorException($"cannot reach VM '{vm}' on '{from}' to migrate it: {ex.Message}; its state there is unknown", ex);
        }

        await using (src)
        {
            QmpClient dst;
            var sourceStatus = "";
            try
            {
                sourceStatus = await QueryStatusAsync(src, cancellationToken);
                if (sourceStatus == "postmigrate")
                {
                    return await FinishEarlierMigrationAsync(vm, from, to, src, destination, started, cancellationToken);
                }

                var expected = sourceStatus is "running" or "finish-migrate" || (cold && sourceStatus == "paused");
                if (!expected)
                {
                    throw new HypervisorException($"VM '{vm}' is '{sourceStatus}' on '{from}', not running; it was not migrated and nothing was changed");
                }

                dst = await ConnectAsync(destination, cancellationToken);
            }
            catch (Exception ex) when (IsQmpFailure(ex))
            {
                throw new HypervisorException($"migration of VM '{vm}' from '{from}' to '{to}' could not start: {ex.Message}; VM '{vm}' was not touched and is '{sourceStatus}' on '{from}'", ex);
            }

            await using (dst)
            {
                return await RunMigrationAsync(vm, from, to, uri, options, progress, cold, sourceStatus, src, dst, source, destination, started, cancellationToken);
            }
        }
    }

    private async Task<MigrationResult> RunMigrationAsync(
        string vm, string from, string to, string uri, MigrationOptions options, IProgress<MigrationProgress>? progress, bool cold, string sourceStatus,
        QmpClient src, QmpClient dst, QemuInstanceOptions source, QemuInstanceOptions destination, long started, CancellationToken cancellationToken)
    {
        var downtimeLimitMs = (long)Math.Ceiling(options.MaxDowntime.TotalMilliseconds);
        var bandwidth = options.MaxBandwidthBytesPerSecond is { } b ? (long)b : UnlimitedBandwidthBytesPerSecond;
        var adopted = false;
        try
        {
            adopted = (await QueryMigrateAsync(src, cancellationToken)).IsInProgress;
            var destinationStatus = await QueryStatusAsync(dst, cancellationToken);
            if (destinationStatus != "inmigrate")
            {
                throw new HypervisorException($"the destination instance of VM '{vm}' on '{to}' is '{destinationStatus}', not waiting for an incoming migration (start it with -incoming defer); VM '{vm}' was not touched and is '{sourceStatus}' on '{from}'");
            }

            if (adopted)
            {
                // An earlier attempt (before a restart, say) started this migration and QEMU carried on: follow it.
                Log.MigrationAdopted(_logger, vm, from, to);
            }
            else
            {
                await CommandAsync(src, "migrate-set-capabilities", new JsonObject
                {
                    ["capabilities"] = new JsonArray(
                        new JsonObject { ["capability"] = "events", ["state"] = true },
                        new JsonObject { ["capability"] = "auto-converge", ["state"] = options.AutoConverge }),
                }, cancellationToken);
                await CommandAsync(src, "migrate-set-parameters", new JsonObject { ["downtime-limit"] = downtimeLimitMs, ["max-bandwidth"] = bandwidth }, cancellationToken);
                // After a restart the destination may already listen (its incoming state is past "none"): do not ask twice.
                if ((await QueryMigrateAsync(dst, cancellationToken)).Status == "none")
                {
                    await CommandAsync(dst, "migrate-incoming", new JsonObject { ["uri"] = uri }, cancellationToken);
                }
            }
        }
        catch (Exception ex) when (IsQmpFailure(ex))
        {
            throw new HypervisorException($"migration of VM '{vm}' from '{from}' to '{to}' could not start: {ex.Message}; VM '{vm}' was not touched and is '{sourceStatus}' on '{from}'", ex);
        }

        if (!adopted)
        {
            Log.MigrationStarted(_logger, vm, from, to, downtimeLimitMs, bandwidth, options.AutoConverge);
        }

        using var deadline = new CancellationTokenSource(_options.MigrationTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        var stoppedByUs = false;
        QmpMigrationInfo? info = null;
        try
        {
            if (cold && sourceStatus == "running")
            {
                await CommandAsync(src, "stop", null, linked.Token);
                stoppedByUs = true;
            }

            var finished = src.WaitForEventAsync(e => e.MigrationStatus is "completed" or "failed" or "cancelled", linked.Token);
            if (!adopted)
            {
                await CommandAsync(src, "migrate", new JsonObject { ["uri"] = uri }, linked.Token);
            }

            info = await WatchAsync(src, finished, progress, linked.Token);
            if (!info.IsCompleted)
            {
                throw new MigrationAbortedException(info.Status == "cancelled"
                    ? "the migration was cancelled on the source"
                    : $"QEMU reports the migration {info.Status}: {info.ErrorDescription ?? "no reason given"}");
            }

            await AwaitSwitchOverAsync(vm, to, src, dst, cold, linked.Token);
        }
        catch (Exception ex) when (IsQmpFailure(ex) || ex is MigrationAbortedException or OperationCanceledException)
        {
            var reason = ex switch
            {
                OperationCanceledException when deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested =>
                    $"it did not finish within {_options.MigrationTimeout.TotalSeconds:0.###} s",
                OperationCanceledException => "the operation was cancelled",
                _ => ex.Message,
            };
            // QEMU serves one QMP client per socket: release ours before recovery opens fresh ones.
            await src.DisposeAsync();
            await dst.DisposeAsync();
            var recovery = await RecoverAsync(vm, from, to, source, destination, reason, cold && stoppedByUs);
            if (recovery.Completed is null)
            {
                _metrics.RecordMigrationFailure("qemu");
                if (ex is OperationCanceledException && cancellationToken.IsCancellationRequested)
                {
                    throw;
                }

                throw new HypervisorException($"live migration of VM '{vm}' from '{from}' to '{to}' failed: {reason}; {recovery.State}", ex);
            }

            info = recovery.Completed;
            await dst.DisposeAsync();
            return await CompleteAsync(vm, from, to, source, null, info, downtimeLimitMs, started);
        }

        await dst.DisposeAsync();
        return await CompleteAsync(vm, from, to, source, src, info, downtimeLimitMs, started);
    }

    private async Task<QmpMigrationInfo> WatchAsync(QmpClient src, Task<QmpEvent> finished, IProgress<MigrationProgress>? progress, CancellationToken cancellationToken)
    {
        while (true)
        {
            var info = await QueryMigrateAsync(src, cancellationToken);
            if (info.IsFinished)
            {
                return info;
            }

            progress?.Report(new MigrationProgress(info.TransferredBytes, info.RemainingBytes, info.DirtySyncCount));
            using var tick = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var poll = Task.Delay(_options.ProgressPollInterval, _time, tick.Token);
            await Task.WhenAny(finished, poll);
            await tick.CancelAsync();
            await poll.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            cancellationToken.ThrowIfCancellationRequested();
            if (finished.IsFaulted)
            {
                await finished;
            }
        }
    }

    /// <summary>Waits until the destination runs (resuming it for a cold move) and the source is post-migrate.</summary>
    private async Task AwaitSwitchOverAsync(string vm, string to, QmpClient src, QmpClient dst, bool cold, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(_options.SwitchOverTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            var wanted = cold ? "paused" : "running";
            await WaitForStatusAsync(dst, wanted, "RESUME", linked.Token);
            if (cold)
            {
                await CommandAsync(dst, "cont", null, linked.Token);
                await WaitForStatusAsync(dst, "running", "RESUME", linked.Token);
            }

            await WaitForStatusAsync(src, "postmigrate", "STOP", linked.Token);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new MigrationAbortedException($"VM '{vm}' did not start on '{to}' within {_options.SwitchOverTimeout.TotalSeconds:0.###} s of the switch-over");
        }
    }

    /// <summary>Bounded poll of query-status, woken early by the event that accompanies the change.</summary>
    private async Task WaitForStatusAsync(QmpClient client, string status, string wakeEvent, CancellationToken cancellationToken)
    {
        while (true)
        {
            var wake = client.WaitForEventAsync(e => e.Name == wakeEvent || e.Name == "SHUTDOWN", cancellationToken);
            var current = await QueryStatusAsync(client, cancellationToken);
            if (current == status)
            {
                return;
            }

            if (current is "shutdown" or "internal-error" or "guest-panicked")
            {
                throw new MigrationAbortedException($"the instance on {client.SocketPath} is '{current}' instead of '{status}'");
            }

            using var tick = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var poll = Task.Delay(_options.ProgressPollInterval, _time, tick.Token);
            await Task.WhenAny(wake, poll);
            await tick.CancelAsync();
            await poll.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            cancellationToken.ThrowIfCancellationRequested();
            if (wake.IsFaulted)
            {
                await wake;
            }
        }
    }

    private async Task<MigrationResult> CompleteAsync(string vm, string from, string to, QemuInstanceOptions source, QmpClient? src, QmpMigrationInfo info, long downtimeLimitMs, long started)
    {
        var duration = _time.GetElapsedTime(started);
        var downtime = TimeSpan.FromMilliseconds(info.DowntimeMs ?? 0);
        if (_options.RetireSource)
        {
            await RetireAsync(source, src);
        }

        if (src is not null)
        {
            await src.DisposeAsync();
        }

        _metrics.RecordMigration(duration, downtime, "qemu");
        Log.MigrationCompleted(_logger, vm, from, to, (long)duration.TotalMilliseconds, (long)downtime.TotalMilliseconds, downtimeLimitMs, info.TransferredBytes);
        if (downtime.TotalMilliseconds > downtimeLimitMs)
        {
            Log.DowntimeOverLimit(_logger, vm, to, (long)downtime.TotalMilliseconds, downtimeLimitMs);
        }

        return new MigrationResult(duration, downtime, info.TransferredBytes);
    }

    /// <summary>The source was found post-migrate: the switch-over already happened; confirm and finish it.</summary>
    private async Task<MigrationResult> FinishEarlierMigrationAsync(string vm, string from, string to, QmpClient src, QemuInstanceOptions destination, long started, CancellationToken cancellationToken)
    {
        var info = await QueryMigrateAsync(src, cancellationToken);
        string destinationStatus;
        try
        {
            await using var dst = await ConnectAsync(destination, cancellationToken);
            destinationStatus = await QueryStatusAsync(dst, cancellationToken);
        }
        catch (Exception ex) when (IsQmpFailure(ex))
        {
            throw new HypervisorException($"VM '{vm}' is post-migrate on '{from}' but its instance on '{to}' cannot be reached ({ex.Message}); the VM is not running on '{from}', check '{to}' by hand", ex);
        }

        if (destinationStatus != "running")
        {
            throw new HypervisorException($"VM '{vm}' is post-migrate on '{from}' but '{destinationStatus}' on '{to}'; it runs nowhere, check '{to}' by hand");
        }

        Log.MigrationAlreadyDone(_logger, vm, from, to, "post-migrate");
        return await CompleteAsync(vm, from, to, Resolve(vm, from), src, info, long.MaxValue, started);
    }

    /// <summary>Quits the post-migrate source, on the connection that verified it when there is one.</summary>
    private async Task RetireAsync(QemuInstanceOptions source, QmpClient? src)
    {
        try
        {
            if (src is null)
            {
                await using var fresh = await ConnectAsync(source, CancellationToken.None);
                await CommandAsync(fresh, "quit", null, CancellationToken.None);
            }
            else
            {
                await CommandAsync(src, "quit", null, CancellationToken.None);
            }
        }
        catch (QmpConnectionException)
        {
            // The instance closed the socket while quitting, or had already gone: either way it is retired.
        }

        Log.SourceRetired(_logger, source.Vm, source.Host);
    }

    /// <summary>
    /// After a failure: cancel what is still running so the VM keeps running on the source. Returns the
    /// migration's final info when it turns out to have completed after all (the destination runs);
    /// otherwise the VM's state, for the error message.
    /// </summary>
    private async Task<Recovery> RecoverAsync(string vm, string from, string to, QemuInstanceOptions source, QemuInstanceOptions destination, string reason, bool resumeSource)
    {
        Log.MigrationCancelling(_logger, vm, from, reason);
        using var budget = new CancellationTokenSource(_options.SwitchOverTimeout, _time);
        string state;
        try
        {
            await using var src = await ConnectAsync(source, budget.Token);
            var info = await QueryMigrateAsync(src, budget.Token);
            var cancelled = false;
            if (info.IsInProgress)
            {
                cancelled = true;
                await CommandAsync(src, "migrate_cancel", null, budget.Token);
                while (!(info = await QueryMigrateAsync(src, budget.Token)).IsFinished)
                {
                    await Task.Delay(_options.ProgressPollInterval, _time, budget.Token);
                }
            }

            var status = await QueryStatusAsync(src, budget.Token);
            if (info.IsCompleted || status == "postmigrate")
            {
                if (await DestinationRunsAsync(destination, budget.Token))
                {
                    return new Recovery(info, "");
                }

                var nowhere = $"the source on '{from}' is post-migrate and VM '{vm}' is not running on '{to}': it runs nowhere, check '{to}' by hand";
                Log.MigrationFailed(_logger, vm, from, to, reason, nowhere);
                return new Recovery(null, nowhere);
            }

            if (status == "paused" && resumeSource)
            {
                await CommandAsync(src, "cont", null, budget.Token);
                status = await QueryStatusAsync(src, budget.Token);
            }

            var ended = cancelled ? "the migration was cancelled" : $"the migration ended '{info.Status}'";
            state = status == "running"
                ? $"{ended} and VM '{vm}' is running on '{from}'"
                : $"{ended} and VM '{vm}' is '{status}' on '{from}'";
        }
        catch (Exception ex) when (IsQmpFailure(ex) || ex is OperationCanceledException)
        {
            state = $"the state of VM '{vm}' on '{from}' is unknown: {ex.Message}";
        }

        Log.MigrationFailed(_logger, vm, from, to, reason, state);
        return new Recovery(null, state);
    }

    private async Task<bool> DestinationRunsAsync(QemuInstanceOptions destination, CancellationToken cancellationToken)
    {
        try
        {
            await using var dst = await ConnectAsync(destination, cancellationToken);
            return await QueryStatusAsync(dst, cancellationToken) == "running";
        }
        catch (Exception ex) when (IsQmpFailure(ex))
        {
            return false;
        }
    }

    private sealed class MigrationAbortedException(string message) : Exception(message);

    private sealed record Recovery(QmpMigrationInfo? Completed, string State);
}

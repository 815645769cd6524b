namespace Predictor.Execution.Hypervisors.Qmp;

internal sealed partial class QemuHypervisor
{
    /// <summary>
    /// After a crash mid hot restart, from what the two sockets say: a replacement that runs the VM is promoted (the old
    /// process quits, the socket takes the configured path); one that does not is retired, a migration still running is
    /// cancelled first, and an old process left paused by the switch-over is resumed. Either way one process runs the VM.
    /// </summary>
    public async Task<string> ReconcileHotRestartAsync(string vm, string host, CancellationToken cancellationToken)
    {
        var instance = Resolve(vm, host);
        var found = new List<string>();
        foreach (var socket in NextSockets(instance))
        {
            var next = new QemuInstanceOptions { Vm = vm, Host = host, QmpSocket = socket };
            var newStatus = await StatusOrNullAsync(next, cancellationToken);
            if (newStatus is null)
            {
                File.Delete(socket);
            }
            else if (newStatus == "running")
            {
                var oldPid = await PidOrNullAsync(instance, cancellationToken);
                if (oldPid is { } pid)
                {
                    await PromoteAsync(instance, socket, null, pid);
                }
                else
                {
                    File.Move(socket, instance.QmpSocket, overwrite: true);
                    File.Delete(MigrationSocket(instance));
                }

                found.Add($"the swap had finished; {(oldPid is null ? "the old process was gone" : $"old process {oldPid} retired")}, the new one runs the VM at {instance.QmpSocket}");
            }
            else
            {
                var newPid = await PidOrNullAsync(next, cancellationToken);
                await CancelAndResumeOldAsync(instance, cancellationToken);
                var retired = newPid is { } pid ? await RetireReplacementAsync(instance, socket, pid) : "the new process could not be identified";
                found.Add($"the swap had not finished (new process {newStatus}); {retired}; the VM is {await DescribeAsync(instance, cancellationToken)}");
            }
        }

        File.Delete(MigrationSocket(instance));
        var resolution = found.Count > 0
            ? string.Join("; ", found)
            : $"no replacement process runs; the VM is {await DescribeAsync(instance, cancellationToken)} in its process";
        Log.HotRestartReconciled(_logger, vm, host, resolution);
        return $"VM '{vm}': {resolution}";
    }

    /// <summary>The old process of an unfinished swap: a migration still running is cancelled; paused by the switch-over, it runs again.</summary>
    private async Task CancelAndResumeOldAsync(QemuInstanceOptions instance, CancellationToken cancellationToken)
    {
        try
        {
            await using var client = await ConnectAsync(instance, cancellationToken);
            var info = await QueryMigrateAsync(client, cancellationToken);
            if (info.IsInProgress)
            {
                await CommandAsync(client, "migrate_cancel", null, cancellationToken);
                while (!(await QueryMigrateAsync(client, cancellationToken)).IsFinished)
                {
                    await Task.Delay(_options.ProgressPollInterval, _time, cancellationToken);
                }
            }

            if (await QueryStatusAsync(client, cancellationToken) is "paused" or "postmigrate")
            {
                await CommandAsync(client, "cont", null, cancellationToken);
            }
        }
        catch (Exception ex) when (IsQmpFailure(ex))
        {
            // the old process does not answer: the description after the retirement says so
        }
    }

    private async Task<string?> StatusOrNullAsync(QemuInstanceOptions instance, CancellationToken cancellationToken)
    {
        if (!File.Exists(instance.QmpSocket))
        {
            return null;
        }

        try
        {
            await using var client = await ConnectAsync(instance, cancellationToken);
            return await QueryStatusAsync(client, cancellationToken);
        }
        catch (Exception ex) when (IsQmpFailure(ex))
        {
            return null;
        }
    }

    private async Task<int?> PidOrNullAsync(QemuInstanceOptions instance, CancellationToken cancellationToken)
    {
        if (!File.Exists(instance.QmpSocket))
        {
            return null;
        }

        try
        {
            await using var client = await ConnectAsync(instance, cancellationToken);
            return client.PeerProcessId;
        }
        catch (Exception ex) when (IsQmpFailure(ex))
        {
            return null;
        }
    }

    private async Task<string> DescribeAsync(QemuInstanceOptions instance, CancellationToken cancellationToken) =>
        await StatusOrNullAsync(instance, cancellationToken) is { } status ? $"'{status}'" : "not answering (its process is gone)";
}

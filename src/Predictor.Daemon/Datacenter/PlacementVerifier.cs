using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Predictor.Daemon.Ha;
using Predictor.Execution.Executor;
using Predictor.Execution.Journal;

namespace Predictor.Daemon.Datacenter;

/// <summary>
/// Keeps the datacenter's placements up to date. Before anything runs they follow the journal; when the daemon takes over
/// as the leader (at once when it runs alone) they follow the journal again and then the hypervisor, before its first pass;
/// then every <see cref="DatacenterOptions.VerifyInterval"/> the leader checks them with the hypervisor, while a standby
/// only follows the shared journal (it never touches the hypervisor: QEMU serves one QMP client at a time, and the leader
/// is using it). A failed check is logged; the loop goes on.
/// </summary>
internal sealed class PlacementVerifier(
    InventoryDatacenter datacenter,
    IExecutionJournal journal,
    PlanExecutor executor,
    DatacenterOptions options,
    Leadership leadership,
    TimeProvider timeProvider,
    ILogger<PlacementVerifier> logger) : BackgroundService, IHostedLifecycleService, ILeaderTakeover
{
    /// <summary>Runs before any hosted service starts, so the first pass (and a standby's status) sees the placements the journal records.</summary>
    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        if (leadership.IsShared)
        {
            // the shared journal may be unreachable right now: the loop and the takeover read it again
            await FollowJournalAsync(cancellationToken).ConfigureAwait(false);
            return;
        }

        await datacenter.ApplyJournalAsync(journal, cancellationToken).ConfigureAwait(false);
    }

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// The journal (another leader may have moved VMs, or the recovery just finished their moves), then the hypervisor; a
    /// failure is logged and the placements are kept as they were.
    /// </summary>
    public async Task TakeOverAsync(CancellationToken cancellationToken)
    {
        await FollowJournalAsync(cancellationToken).ConfigureAwait(false);
        await VerifyOnceAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(options.VerifyInterval, timeProvider, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            if (leadership.IsLeader)
            {
                await VerifyOnceAsync(stoppingToken).ConfigureAwait(false);
            }
            else
            {
                await FollowJournalAsync(stoppingToken).ConfigureAwait(false);
            }
        }
    }

    private async Task FollowJournalAsync(CancellationToken cancellationToken)
    {
        try
        {
            await datacenter.ApplyJournalAsync(journal, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // shutting down
        }
        catch (Exception e)
        {
            Log.VerifyFailed(logger, options.VerifyInterval, e);
        }
    }

    private async Task VerifyOnceAsync(CancellationToken cancellationToken)
    {
        if (!options.VerifyPlacements)
        {
            return;
        }

        try
        {
            Log.Verified(logger, await datacenter.VerifyAsync(executor.IsBusy, cancellationToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // shutting down
        }
        catch (Exception e)
        {
            // a check that fails for an unforeseen reason must not stop the daemon: placements stay as they are
            Log.VerifyFailed(logger, options.VerifyInterval, e);
        }
    }
}

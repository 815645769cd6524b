using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Predictor.Execution.Executor;
using Predictor.Execution.Journal;

namespace Predictor.Daemon.Datacenter;

/// <summary>
/// Brings the datacenter's placements up to date before the first pass (journal, then hypervisor) and checks
/// them again every <see cref="DatacenterOptions.VerifyInterval"/>. A failed check is logged; the loop goes on.
/// </summary>
internal sealed class PlacementVerifier(
    InventoryDatacenter datacenter,
    IExecutionJournal journal,
    PlanExecutor executor,
    DatacenterOptions options,
    TimeProvider timeProvider,
    ILogger<PlacementVerifier> logger) : BackgroundService, IHostedLifecycleService
{
    /// <summary>Runs before any hosted service starts, so the first pass sees placements the hypervisor confirmed.</summary>
    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        await datacenter.ApplyJournalAsync(journal, cancellationToken).ConfigureAwait(false);
        await VerifyOnceAsync(cancellationToken).ConfigureAwait(false);
    }

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

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

            await VerifyOnceAsync(stoppingToken).ConfigureAwait(false);
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

using Predictor.Execution.Executor;

namespace Predictor.Daemon.Pipeline;

/// <summary>
/// Reads what the executor finished since the previous pass and keeps the rollout's books: applied updates leave the
/// pending list, failed ones count towards a halt, and hosts whose step was dropped before it started are offered again.
/// </summary>
internal sealed class OutcomeStage(PlanExecutor executor, ExecutionOutcomeQueue outcomes, Rollout rollout, PlanHistory plans, SelfServiceStage selfService)
{
    public void Run(PassContext pass)
    {
        // hosts the executor no longer works on, taken before the outcomes are read, so any outcome they had is read below
        var idle = rollout.UnderWay.Where(h => !executor.IsBusy(h)).ToList();
        pass.Finished = outcomes.Drain();
        plans.Finished(pass.Finished);
        selfService.Finished(pass.Finished);
        foreach (var host in rollout.Observe(pass.Finished))
        {
            pass.RolloutHalts.Add((host, pass.Finished.Last(o => o.Target == host)));
        }

        // a step dropped before it started (the executor was paused) leaves no outcome: its update is pending again
        rollout.Release(idle);
        selfService.NotRun(idle);
    }
}

using Predictor.Core.Plans;
using Predictor.Execution.Executor;

namespace Predictor.Daemon.Pipeline;

/// <summary>
/// The newest plans handed to the executor (at most <see cref="Capacity"/>) and how their steps ended, for
/// <c>/api/v1/plan</c>, <c>predictor plan show</c> and the dashboard's timeline. Written by the pass, read by any thread.
/// </summary>
public sealed class PlanHistory
{
    public const int Capacity = 10;

    private readonly LinkedList<SubmittedPlan> _plans = new();
    private readonly Dictionary<string, ExecutionOutcome> _finished = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    /// <summary>Records a plan the executor took at least one step of.</summary>
    public void Submitted(string id, DateTimeOffset start, MaintenancePlan plan, int scheduled)
    {
        lock (_gate)
        {
            _plans.AddFirst(new SubmittedPlan(id, start, plan, scheduled));
            while (_plans.Count > Capacity)
            {
                var dropped = _plans.Last!.Value;
                _plans.RemoveLast();
                foreach (var key in _finished.Keys.Where(k => k.StartsWith(dropped.Id + "/", StringComparison.Ordinal)).ToList())
                {
                    _finished.Remove(key);
                }
            }
        }
    }

    /// <summary>Records finished steps of the plans kept (others are ignored).</summary>
    public void Finished(IEnumerable<ExecutionOutcome> outcomes)
    {
        lock (_gate)
        {
            foreach (var outcome in outcomes)
            {
                var planId = outcome.StepId.Split('/')[0];
                if (_plans.Any(p => p.Id == planId))
                {
                    _finished[outcome.StepId] = outcome;
                }
            }
        }
    }

    /// <summary>The plan with this id, or the newest when <paramref name="id"/> is null; null when there is none.</summary>
    public SubmittedPlan? Find(string? id)
    {
        lock (_gate)
        {
            return id is null ? _plans.First?.Value : _plans.FirstOrDefault(p => p.Id == id);
        }
    }

    /// <summary>The ids of the plans kept, newest first.</summary>
    public IReadOnlyList<string> Ids()
    {
        lock (_gate)
        {
            return [.. _plans.Select(p => p.Id)];
        }
    }

    /// <summary>How a step of a kept plan ended; null while it has not.</summary>
    public ExecutionOutcome? Outcome(string stepId)
    {
        lock (_gate)
        {
            return _finished.GetValueOrDefault(stepId);
        }
    }
}

/// <summary>A plan as it was handed to the executor: its id (step ids derive from it), time zero, and how many steps were scheduled.</summary>
public sealed record SubmittedPlan(string Id, DateTimeOffset Start, MaintenancePlan Plan, int Scheduled);

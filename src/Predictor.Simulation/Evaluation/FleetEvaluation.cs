using System.Globalization;
using Predictor.Simulation.Scenarios;

namespace Predictor.Simulation.Evaluation;

/// <summary>One scenario a fleet evaluation asks for: how long, and the configuration overrides that choose the seed, the fleet and the assessor.</summary>
public sealed record ScenarioRequest(TimeSpan Span, IReadOnlyList<string> Overrides);

/// <summary>Runs one scenario (<c>predictor run --for</c> in process) and returns its summary.</summary>
public delegate Task<RunSummary> ScenarioRunner(ScenarioRequest request, CancellationToken cancellationToken);

/// <summary>
/// <c>predictor evaluate</c>: every assessor on every seed's simulated fleet, each run the daemon with its defaults
/// (plus the plan's overrides) on the virtual clock, so the figures depend on the seeds alone; then the figures per
/// assessor, pooled over the runs and spread across seeds, in the manner of Narya's evaluation (Levy et al., OSDI 2020):
/// VM interruptions avoided against no prediction, false evacuations per 1,000 host-days, lead times, migrations and
/// blackout spent.
/// </summary>
public static class FleetEvaluation
{
    /// <summary>Runs the plan, seed by seed (every assessor on a seed before the next seed), reporting each run to <paramref name="progress"/>.</summary>
    /// <param name="plan">Seeds, fleet, assessors.</param>
    /// <param name="runner">Runs one scenario.</param>
    /// <param name="machine">The machine's clock, to tell how long each run took.</param>
    /// <param name="progress">Told of each finished run, one line.</param>
    /// <param name="cancellationToken">Stops between runs (and inside one, as the runner honours it).</param>
    public static async Task<EvaluationReport> RunAsync(EvaluationPlan plan, ScenarioRunner runner, TimeProvider machine, Action<string>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(runner);
        ArgumentNullException.ThrowIfNull(machine);
        var errors = plan.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join("; ", errors), nameof(plan));
        }

        var c = CultureInfo.InvariantCulture;
        var runs = plan.Assessors.ToDictionary(a => a.Name, _ => new List<EvaluationRun>(), StringComparer.Ordinal);
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        var total = plan.Seeds.Count * plan.Assessors.Count;
        var done = 0;
        foreach (var seed in plan.Seeds.Seeds)
        {
            foreach (var assessor in plan.Assessors)
            {
                var overrides = new List<string>(plan.Overrides)
                {
                    string.Create(c, $"--Simulation:Seed={seed}"),
                    string.Create(c, $"--Simulation:Hosts={plan.Hosts}"),
                };
                overrides.AddRange(assessor.Overrides);
                var started = machine.GetTimestamp();
                var summary = await runner(new ScenarioRequest(TimeSpan.FromDays(plan.Days), overrides), cancellationToken).ConfigureAwait(false);
                var run = EvaluationRun.From(assessor.Name, seed, summary);
                runs[assessor.Name].Add(run);
                names.TryAdd(assessor.Name, summary.Assessor);
                done++;
                progress?.Invoke(string.Create(c,
                    $"evaluate: {done}/{total} seed {seed} {assessor.Name}: {run.FalseEvacuations} false evacuations, {run.VmsEvacuatedBeforeFailure} of {run.VmsOnFailingHosts} VMs on failing hosts evacuated before the failure, {run.VmInterruptions} interrupted ({machine.GetElapsedTime(started).TotalSeconds:0} s)"));
            }
        }

        var none = runs.TryGetValue(EvaluatedAssessor.None.Name, out var baseline) ? baseline.ToDictionary(r => r.Seed) : null;
        return new EvaluationReport(plan, [.. plan.Assessors.Select(a => AssessorResult.Of(a, names[a.Name], runs[a.Name], none))]);
    }
}

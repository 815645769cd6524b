using System.Collections.Immutable;
using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Predictor.Core.Plans;
using Predictor.Planning.Evacuation;
using Predictor.Planning.Ladder;
using Predictor.Planning.Model;
using Predictor.Planning.Placement;
using Predictor.Planning.Scheduling;

namespace Predictor.Planning;

/// <summary>
/// The planner the daemon and <c>predictor plan</c> use: evacuates at-risk hosts first (placement, then
/// scheduling under the concurrency limits), then walks pending updates through the maintenance ladder one
/// update domain at a time. Pure: the same request gives the same plan. Check plans with
/// <see cref="Validation.PlanValidator"/> before acting on them.
/// </summary>
/// <remarks>
/// The loops that run per VM, per move or per host are compiled optimized at once
/// (<see cref="MethodImplOptions.AggressiveOptimization"/>): <c>predictor plan</c> and the daemon run a plan once in a
/// while, cold, and tiered compilation would run most of a 50,000-host rollout in unoptimized code while it waits to
/// recompile it (longer still on a busy machine, where the background compiler gets little CPU).
/// </remarks>
public sealed class MaintenancePlanner : IMaintenancePlanner
{
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly MaintenancePlannerOptions _options;

    public MaintenancePlanner(TimeProvider timeProvider, ILogger<MaintenancePlanner>? logger = null, MaintenancePlannerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        _timeProvider = timeProvider;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _options = options ?? new MaintenancePlannerOptions();
    }

    /// <exception cref="ArgumentException">The request names unknown hosts or has impossible limits (every problem listed).</exception>
    public MaintenancePlan Plan(PlanRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var started = _timeProvider.GetTimestamp();
        PlanRequestChecks.ThrowIfInvalid(request);
        var fleet = new Fleet(request);
        var context = new PlanContext(fleet, request);

        var (evacuation, unplaced) = EvacuationPlanner.Plan(fleet, request, _options, context, cancellationToken);
        var evacuationEnd = MigrationScheduler.Schedule(evacuation, 0, request.Limits, fleet.Hosts.Length);
        var evacuationBound = EvacuationBound.Compute(fleet, context, evacuation, request, _options);
        foreach (var job in evacuation)
        {
            fleet.CompleteMove(job.Vm, job.Destination);
        }

        var ladder = LadderPlanner.Plan(fleet, request, _options, context, evacuationEnd, evacuation, cancellationToken);
        var migrations = ImmutableArray.CreateBuilder<MigrationStep>(evacuation.Count + ladder.Phases.Sum(p => p.Jobs.Count));
        AddSteps(migrations, fleet, evacuation);
        foreach (var phase in ladder.Phases)
        {
            AddSteps(migrations, fleet, phase.Jobs);
        }

        var figures = new PlanFigures(evacuation, evacuationEnd, evacuationBound, ladder, unplaced.Count);
        var planningS = _timeProvider.GetElapsedTime(started).TotalSeconds;
        var plan = new MaintenancePlan
        {
            Migrations = migrations.MoveToImmutable(),
            Maintenance = [.. ladder.Steps],
            Unplaced = [.. unplaced],
            AtRisk = [.. context.AtRiskHosts.Select(h => fleet.Hosts[h].Id)],
            Limits = request.Limits with { Extra = LimitsExtra(request) },
            Summary = figures.ToSummary(planningS),
        };

        Report(plan, fleet, context, evacuation, ladder);
        PlanningMetrics.Duration.Record(planningS);
        PlanningMetrics.Moves.Add(plan.Migrations.Length);
        PlanningMetrics.Unplaced.Add(plan.Unplaced.Length);
        PlanningMetrics.MakespanRatio.Record(plan.Summary.LowerBoundS > 0 ? plan.Summary.MakespanS / plan.Summary.LowerBoundS : 1);
        return plan;
    }

    private void Report(MaintenancePlan plan, Fleet fleet, PlanContext context, List<MigrationJob> evacuation, LadderResult ladder)
    {
        foreach (var vm in plan.Unplaced)
        {
            Log.VmUnplaced(_logger, vm.Vm, vm.Reason);
        }

        foreach (var job in evacuation)
        {
            if (job.EndS > job.DeadlineS)
            {
                Log.LateMove(_logger, fleet.Vms[job.Vm].Id, fleet.Hosts[job.Source].Id, job.EndS, context.Deadline(job.Source));
            }
        }

        if (ladder.HaltedBecause is { } halted)
        {
            Log.RolloutHalted(_logger, halted);
        }

        Log.PlanMade(_logger, plan.Summary.PlanningS, plan.Migrations.Length, plan.Unplaced.Length, plan.Maintenance.Length, plan.Summary.MakespanS, plan.Summary.LowerBoundS);
    }

    /// <summary>
    /// The moves as plan steps, each reason written in one pass. The reasons are independent, so they are written on
    /// all cores into their slots (the order of the steps is the order of the jobs whatever the thread count).
    /// </summary>
    private static void AddSteps(ImmutableArray<MigrationStep>.Builder into, Fleet fleet, List<MigrationJob> jobs)
    {
        var count = jobs.Count;
        var steps = new MigrationStep[count];
        const int Chunk = 2048;
        Parallel.For(0, (count + Chunk - 1) / Chunk, c =>
        {
            for (var i = c * Chunk; i < Math.Min(count, (c + 1) * Chunk); i++)
            {
                steps[i] = Step(fleet, jobs[i], count);
            }
        });
        into.AddRange(steps);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static MigrationStep Step(Fleet fleet, MigrationJob job, int count)
    {
        var vm = fleet.Vms[job.Vm];
        var text = new DefaultInterpolatedStringHandler(0, 0, CultureInfo.InvariantCulture);
        MoveBuilder.AppendWhy(ref text, fleet, job);
        text.AppendLiteral(" Order ");
        text.AppendFormatted(job.Rank);
        text.AppendLiteral(" of ");
        text.AppendFormatted(count);
        if (job.AheadOfDeadlineOrder)
        {
            text.AppendLiteral(", ahead of moves off hosts failing sooner: the moves left on ");
            text.AppendFormatted(fleet.Hosts[job.Source].Id);
            text.AppendLiteral(" would otherwise end after ");
            text.AppendFormatted(Explain.Seconds(Math.Min(job.TargetEndS, job.DeadlineS)));
            text.AppendLiteral(" (the earliest these moves can all end, or the host's predicted failure); longest first (");
            text.AppendFormatted(Explain.Seconds(job.DurationS));
            text.AppendLiteral(")");
        }
        else
        {
            text.AppendLiteral(" (deadline, then criticality ");
            text.AppendFormatted(job.Criticality);
            text.AppendLiteral(", then longest first: ");
            text.AppendFormatted(Explain.Seconds(job.DurationS));
            text.AppendLiteral(")");
        }

        text.AppendLiteral("; starts at ");
        text.AppendFormatted(Explain.Seconds(job.StartS));
        text.AppendLiteral(" ");
        text.AppendFormatted(Cause(job.Cause));
        text.AppendLiteral(".");
        if (job.EndS > job.DeadlineS)
        {
            text.AppendLiteral(" Warning: ends at ");
            text.AppendFormatted(Explain.Seconds(job.EndS));
            text.AppendLiteral(", after the predicted failure at ");
            text.AppendFormatted(Explain.Seconds(job.DeadlineS));
            text.AppendLiteral(".");
        }

        return new MigrationStep(
            vm.Id, fleet.Hosts[job.Source].Id, fleet.Hosts[job.Destination].Id, job.Kind,
            job.StartS, job.EndS, vm.MemoryGiB, job.DowntimeMs, text.ToStringAndClear());
    }

    private static string Cause(StartCause cause) => cause switch
    {
        StartCause.PlanStart => "(a slot was free at once)",
        StartCause.OutboundSlot => "(when an earlier move off the same host ended)",
        StartCause.InboundSlot => "(when an inbound slot on the destination freed)",
        StartCause.OwnerTime => "(the owner's chosen time)",
        _ => "(when a datacenter-wide slot freed)",
    };

    private static Dictionary<string, object> LimitsExtra(PlanRequest request)
    {
        var extra = request.Limits.Extra is null ? [] : new Dictionary<string, object>(request.Limits.Extra);
        extra["maxDowntimeMs"] = request.Options.MaxDowntime.TotalMilliseconds;
        extra["headroomFraction"] = request.Options.HeadroomFraction;
        return extra;
    }
}

using System.Text.Json;
using Predictor.Core.Inventory;
using Predictor.Core.Plans;
using Predictor.Daemon.Automation;
using Predictor.Daemon.Telemetry;
using Predictor.Execution.Executor;
using Predictor.Learning.Assessment;
using Predictor.Telemetry.Windows;

namespace Predictor.Daemon.Views;

/// <summary>
/// What the read API answers (and the dashboard and <c>predictor status</c>/<c>plan show</c> read): plain records,
/// serialized as camelCase JSON by the HTTP layer. Each view is built from thread-safe snapshots, never from state a
/// pass is changing.
/// </summary>
public sealed class DaemonViews
{
    private readonly PredictorPipeline _pipeline;
    private readonly PlanExecutor _executor;
    private readonly IDatacenter _datacenter;
    private readonly HostWindowStore _windows;
    private readonly Models.ActiveRiskModel _model;
    private readonly AutomationControl _automation;
    private readonly TimeProvider _time;
    private readonly Func<object> _telemetry;
    private readonly Ha.Leadership _leadership;

    internal DaemonViews(
        PredictorPipeline pipeline, PlanExecutor executor, IDatacenter datacenter, HostWindowStore windows, Models.ActiveRiskModel model,
        AutomationControl automation, TimeProvider time, TelemetryStatus telemetry, Ha.Leadership leadership)
    {
        _leadership = leadership;
        _pipeline = pipeline;
        _executor = executor;
        _datacenter = datacenter;
        _windows = windows;
        _model = model;
        _automation = automation;
        _time = time;
        _telemetry = () => telemetry.Snapshot();
    }

    /// <summary><c>/api/v1/status</c>: automation, quarantined and released hosts, rollout, steps, telemetry.</summary>
    public object Status()
    {
        var ladder = _pipeline.Ladder;
        return new
        {
            now = _time.GetUtcNow(),
            quarantined = _pipeline.Quarantined.Order(StringComparer.Ordinal).ToArray(),
            released = _pipeline.Quarantine.Released().OrderBy(r => r.Key, StringComparer.Ordinal)
                .Select(r => new { host = r.Key, at = r.Value.At, until = r.Value.Until, reason = r.Value.Reason }).ToArray(),
            repaired = _pipeline.Quarantine.Repairs().Values.OrderBy(r => r.Host, StringComparer.Ordinal)
                .Select(r => new { host = r.Host, at = r.At, reason = r.Reason, by = r.By, cleanAssessments = r.CleanAssessments }).ToArray(),
            decommissioned = _pipeline.Quarantine.Decommissioned().Values.OrderBy(d => d.Host, StringComparer.Ordinal)
                .Select(d => new { host = d.Host, at = d.At, reason = d.Reason, by = d.By }).ToArray(),
            pendingUpdates = _pipeline.PendingUpdateCount,
            rollout = new { domain = ladder.CurrentDomain, underWay = ladder.UnderWay, haltedBy = ladder.HaltedBy },
            runningSteps = _executor.RunningSteps,
            paused = _executor.Paused,
            hostsWatched = _pipeline.WatchedCount,
            hostsStale = _pipeline.StaleCount,
            automation = _automation.Status(),
            telemetry = _telemetry(),
            ha = _leadership.Status(),
        };
    }

    /// <summary><c>/api/v1/at-risk</c>: quarantined hosts, most likely to fail first, with the evidence that flagged them.</summary>
    public IEnumerable<object> AtRisk() => _pipeline.Quarantine.Snapshot().Values
        .OrderByDescending(a => a.Probability).ThenBy(a => a.Host, StringComparer.Ordinal)
        .Select(a => new
        {
            host = a.Host,
            probability = a.Probability,
            assessedAt = a.AssessedAt,
            predictedFailureAt = a.PredictedFailureAt,
            // the probability is of a failure within the assessor's horizon: the window it speaks of ends here
            windowEnd = a.AssessedAt + a.Horizon,
            assessor = a.Assessor,
            evidence = a.Evidence.Take(3).Select(e => e.Description).ToArray(),
        });

    /// <summary><c>/api/v1/fleet</c>: every host with its rack, fault and update domains, state, VM count and latest probability.</summary>
    public object Fleet()
    {
        var inventory = _datacenter.Inventory();
        var states = _pipeline.Quarantine.StatesOver(inventory);
        var latest = _pipeline.Risk.Latest();
        var underWay = _pipeline.Ladder.UnderWay.ToHashSet(StringComparer.Ordinal);
        var vms = inventory.Vms.CountBy(v => v.Host).ToDictionary(StringComparer.Ordinal);
        return new
        {
            now = _time.GetUtcNow(),
            threshold = _pipeline.RiskThreshold,
            hosts = inventory.Hosts.OrderBy(h => h.Rack, StringComparer.Ordinal).ThenBy(h => h.Id, StringComparer.Ordinal).Select(h => new
            {
                id = h.Id,
                rack = h.Rack,
                faultDomain = h.FaultDomain,
                updateDomain = h.UpdateDomain,
                state = StateName(states.GetValueOrDefault(h.Id, h.State)),
                updating = underWay.Contains(h.Id),
                vms = vms.GetValueOrDefault(h.Id),
                probability = latest.TryGetValue(h.Id, out var p) ? p.Probability : (double?)null,
            }).ToArray(),
        };
    }

    /// <summary><c>/api/v1/hosts/{id}</c>: one host's state, risk and its history, the evidence, its VMs and its telemetry; null when unknown.</summary>
    public object? Host(string id)
    {
        var inventory = _datacenter.Inventory();
        if (!inventory.TryGetHost(id, out var host))
        {
            return null;
        }

        var flagged = _pipeline.Quarantine.Snapshot().GetValueOrDefault(id);
        var released = _pipeline.Quarantine.Released().GetValueOrDefault(id);
        var evidence = flagged?.Evidence.Select(e => (e.Signal, e.Component)).ToList() ?? [];
        var latest = _pipeline.Risk.LatestOf(id);
        return new
        {
            now = _time.GetUtcNow(),
            id = host.Id,
            rack = host.Rack,
            faultDomain = host.FaultDomain,
            updateDomain = host.UpdateDomain,
            state = StateName(_pipeline.Quarantine.StatesOver(inventory).GetValueOrDefault(id, host.State)),
            threshold = _pipeline.RiskThreshold,
            probability = latest?.Probability,
            assessedAt = latest?.At,
            flagged = flagged is null ? null : new
            {
                probability = flagged.Probability,
                assessedAt = flagged.AssessedAt,
                windowEnd = flagged.AssessedAt + flagged.Horizon,
                predictedFailureAt = flagged.PredictedFailureAt,
                assessor = flagged.Assessor,
                evidence = flagged.Evidence.Select(e => new { signal = e.Signal, component = e.Component, value = e.Value, description = e.Description }).ToArray(),
            },
            released = released is null ? null : new { at = released.At, until = released.Until, reason = released.Reason, probability = released.Probability },
            riskHistory = _pipeline.Risk.Of(id).Select(p => new { at = p.HourEnd, probability = p.Probability }).ToArray(),
            vms = inventory.VmsOn(id).Select(v => new { id = v.Id, owner = v.Owner, vcpus = v.Vcpus, memoryGiB = v.MemoryGiB, liveMigratable = v.LiveMigratable }).ToArray(),
            series = _windows.History(id)
                .Select(s => (Series: s, Rank: EvidenceRank(evidence, s)))
                .OrderBy(s => s.Rank ?? int.MaxValue)
                .Select(s => new
                {
                    signal = s.Series.Signal,
                    component = s.Series.Component,
                    evidence = s.Rank is not null,
                    day = s.Series.Day.Select(b => new { at = b.End, value = Finite(b.Mean) }).ToArray(),
                    week = s.Series.Week.Select(b => new { at = b.End, value = Finite(b.Mean) }).ToArray(),
                }).ToArray(),
        };
    }

    /// <summary><c>/api/v1/plan</c>: a plan handed to the executor (the newest when <paramref name="id"/> is null) with each step's state; null when there is none.</summary>
    public object? Plan(string? id)
    {
        if (_pipeline.Plans.Find(id) is not { } submitted)
        {
            return null;
        }

        var plans = _pipeline.Plans;
        var plan = submitted.Plan;
        var hops = new Dictionary<string, int>(StringComparer.Ordinal);
        var moves = plan.Migrations.Select(m =>
        {
            var hop = hops[m.Vm] = hops.GetValueOrDefault(m.Vm) + 1;
            var stepId = hop == 1 ? $"{submitted.Id}/{m.Vm}" : $"{submitted.Id}/{m.Vm}#{hop}";
            return Step(stepId, "migration", m.Vm, m.From, m.To, m.Kind == MigrationKind.Live ? "live" : "cold", m.StartS, m.EndS, m.EstimatedDowntimeMs, m.Reason, plans.Outcome(stepId),
                _executor.InFlightMoves.ContainsKey(m.Vm) ? "running" : _executor.IsBusy(m.Vm) ? "waiting" : null);
        });
        var maintenance = plan.Maintenance.Select(s =>
        {
            var stepId = $"{submitted.Id}/{s.Host}";
            var rung = JsonSerializer.Serialize(s.Action).Trim('"');
            return Step(stepId, "maintenance", s.Host, s.Host, null, rung, s.StartS, s.EndS, s.VmPauseMs, s.Reason, plans.Outcome(stepId),
                s.Action == MaintenanceAction.SelfService ? "with owners" : _executor.IsBusy(s.Host) ? "running" : null);
        });
        return new
        {
            id = submitted.Id,
            start = submitted.Start,
            scheduled = submitted.Scheduled,
            makespanS = plan.Summary.MakespanS,
            lowerBoundS = plan.Summary.LowerBoundS,
            atRisk = plan.AtRisk,
            unplaced = plan.Unplaced.Select(u => new { vm = u.Vm, reason = u.Reason }).ToArray(),
            steps = moves.Concat(maintenance).OrderBy(s => s.StartS).ThenBy(s => s.Target, StringComparer.Ordinal).ToArray(),
            others = plans.Ids().Where(p => p != submitted.Id).ToArray(),
        };
    }

    /// <summary><c>/api/v1/ladder</c>: the rollout by update domain, and how often each rung was planned.</summary>
    public object Ladder()
    {
        var ladder = _pipeline.Ladder;
        return new
        {
            currentDomain = ladder.CurrentDomain,
            pendingUpdates = _pipeline.PendingUpdateCount,
            domains = ladder.Domains,
            rungs = Enum.GetValues<MaintenanceAction>().Select(a => new { rung = JsonSerializer.Serialize(a).Trim('"'), planned = ladder.Rungs.GetValueOrDefault(a) }).ToArray(),
            underWay = ladder.UnderWay,
            haltedBy = ladder.HaltedBy,
        };
    }

    /// <summary>
    /// <c>/api/v1/model</c>: the assessor serving, its version (registry version, model digest or rules) and since when, its
    /// card and Markdown card, its threshold, a load failure (with the rules serving instead: <c>fallback</c>), and the last
    /// pass's figures.
    /// </summary>
    public object Model() => new
    {
        assessor = _model.Name,
        kind = _model.Current is ModelRiskAssessor ? "model" : "rules",
        version = _model.Version,
        since = _model.Since,
        threshold = _pipeline.RiskThreshold,
        fallback = _model.FallenBack ? _model.Failure : null,
        loadFailure = _model.Failure,
        card = _model.Card,
        cardMarkdown = _model.CardMarkdown,
        lastPass = _pipeline.Risk.LastPass,
        quarantined = _pipeline.Quarantine.Count,
    };

    /// <summary><c>/api/v1/steps</c>: finished steps, newest first, with outcome, duration and blackout.</summary>
    public static IEnumerable<object> Steps(IEnumerable<(DateTimeOffset At, ExecutionOutcome Outcome)> steps) => steps.Select(s => new
    {
        at = s.At,
        step = s.Outcome.StepId,
        kind = s.Outcome.Kind.ToString(),
        target = s.Outcome.Target,
        from = s.Outcome.From,
        to = s.Outcome.To,
        succeeded = s.Outcome.Succeeded,
        durationS = s.Outcome.Duration.TotalSeconds,
        blackoutMs = s.Outcome.Blackout.TotalMilliseconds,
        message = s.Outcome.Message,
    });

    /// <summary><c>/api/v1/journal/{target}</c>: a page of a target's transitions, oldest first, each with its position (<c>seq</c>) to page back from.</summary>
    public static IEnumerable<object> Journal(IEnumerable<(long Position, Execution.Journal.JournalEntry Entry)> page) => page.Select(x => new
    {
        seq = x.Position,
        step = x.Entry.StepId,
        plan = x.Entry.PlanId,
        kind = x.Entry.Kind.ToString(),
        target = x.Entry.Target,
        from = x.Entry.From,
        to = x.Entry.To,
        state = x.Entry.State.ToString(),
        at = x.Entry.At,
        message = x.Entry.Message,
    });

    private static PlanStepView Step(
        string stepId, string kind, string target, string from, string? to, string action, double startS, double endS, double blackoutMs, string? reason,
        ExecutionOutcome? outcome, string? live) =>
        new(stepId, kind, target, from, to, action, startS, endS, blackoutMs, reason,
            outcome is null ? live ?? "not started" : outcome.Succeeded ? "ok" : "failed",
            outcome?.Message);

    /// <summary>
    /// Where a series stands among the evidence (0 = the strongest), null when no evidence is about it: evidence names a
    /// series by its signal or a feature of it (<c>smart_5_raw.max</c>), and by its component when it has one.
    /// </summary>
    private static int? EvidenceRank(List<(string Signal, string? Component)> evidence, SeriesHistory series)
    {
        var rank = evidence.FindIndex(e =>
            (e.Signal == series.Signal || e.Signal.StartsWith(series.Signal + ".", StringComparison.Ordinal)) && (e.Component is null || e.Component == series.Component));
        return rank < 0 ? null : rank;
    }

    private static string StateName(HostState state) => state.ToString().ToLowerInvariant();

    /// <summary>JSON has no NaN or infinity: a bucket's mean that is not finite is shown as a gap.</summary>
    private static double? Finite(double value) => double.IsFinite(value) ? value : null;
}

/// <summary>One step of a plan as the timeline shows it: times are seconds from the plan's start; <c>state</c> is ok, failed, running, waiting, with owners or not started.</summary>
public sealed record PlanStepView(
    string Step, string Kind, string Target, string From, string? To, string Action, double StartS, double EndS, double BlackoutMs, string? Reason, string State, string? Message);

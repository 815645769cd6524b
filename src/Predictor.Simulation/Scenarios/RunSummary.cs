using Predictor.Core.Risk;
using Predictor.Daemon;
using Microsoft.Extensions.DependencyInjection;
using System.Globalization;
using Predictor.Core.Plans;
using Predictor.Execution.Journal;

namespace Predictor.Simulation.Scenarios;

/// <summary>What a scenario run achieved, measured against the simulator's ground truth.</summary>
public sealed record RunSummary
{
    public required string Assessor { get; init; }
    public required TimeSpan Simulated { get; init; }
    public required int Hosts { get; init; }
    public required int Vms { get; init; }
    public required int InjectedFailures { get; init; }
    public required int FailuresWithoutWarning { get; init; }
    public required int FailuresPredictedAhead { get; init; }
    public required IReadOnlyList<TimeSpan> LeadTimes { get; init; }
    public required int VmsEvacuatedBeforeFailure { get; init; }
    public required int VmInterruptions { get; init; }
    public required int HostsFlagged { get; init; }
    public required int FalsePositiveEvacuations { get; init; }
    public required int LiveMigrations { get; init; }
    public required int ColdMigrations { get; init; }
    public required int FailedSteps { get; init; }
    public required TimeSpan TotalBlackout { get; init; }
    public required TimeSpan MaxLiveMigrationBlackout { get; init; }
    public required int MemoryPreservingUpdates { get; init; }
    public required int HotPatches { get; init; }

    /// <summary>Hypervisor updates carried out by hot restart: each staying VM swapped into a new hypervisor process.</summary>
    public int HotRestarts { get; init; }

    /// <summary>The longest pause a VM felt in a hot restart (the largest per-host maximum).</summary>
    public TimeSpan MaxHotRestartBlackout { get; init; }

    /// <summary>Hosts updated after their VMs had left by live migration (the ladder's last rung).</summary>
    public required int EmptiedHostUpdates { get; init; }

    /// <summary>Updates neither applied nor handed to owners when the run ended; null when unknown.</summary>
    public int? UpdatesPendingAtEnd { get; init; }
    public required int SelfServiceScheduled { get; init; }

    /// <summary>Self-service updates carried out at their owners' moment (or when the window closed).</summary>
    public required int SelfServiceApplied { get; init; }

    /// <summary>Hosts still waiting for their owners' moment when the run ended; null when unknown.</summary>
    public int? SelfServiceWaitingAtEnd { get; init; }
    public required int UnplacedVms { get; init; }

    /// <summary>The summary of the scenario a host ran, as it ended; null when the host ran the daemon, not a scenario.</summary>
    public static RunSummary? Of(IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (services.GetService<RunRecorder>() is not { } recorder)
        {
            return null;
        }

        var time = services.GetRequiredService<TimeProvider>();
        var end = services.GetService<ScenarioDriver>() is { } driver && driver.End < time.GetUtcNow() ? driver.End : time.GetUtcNow();
        var pipeline = services.GetRequiredService<PredictorPipeline>();
        return Build(services.GetRequiredService<SimulatedFleet>(), recorder, services.GetRequiredService<IRiskAssessor>().Name, end) with
        {
            UpdatesPendingAtEnd = pipeline.PendingUpdateCount,
            SelfServiceWaitingAtEnd = pipeline.Ladder.Domains.Sum(d => d.WithOwners),
        };
    }

    /// <summary>Builds the summary of a run that ended at <paramref name="end"/>.</summary>
    public static RunSummary Build(SimulatedFleet fleet, RunRecorder recorder, string assessor, DateTimeOffset end)
    {
        var start = fleet.Options.Start;
        var failures = fleet.Failures.Where(f => f.FailsAt > start && f.FailsAt <= end).ToList();
        var failed = failures.Select(f => f.Host).ToHashSet(StringComparer.Ordinal);
        var leads = new List<TimeSpan>();
        var evacuated = 0;
        foreach (var f in failures)
        {
            if (recorder.Flagged.TryGetValue(f.Host, out var flag) && flag.AssessedAt < f.FailsAt)
            {
                leads.Add(f.FailsAt - flag.AssessedAt);
            }

            evacuated += recorder.MovesOff(f.Host).Count(m => m.At <= f.FailsAt);
        }

        var steps = recorder.Steps.Select(s => s.Outcome).ToList();
        var moves = steps.Where(s => s.Succeeded && s.Kind is StepKind.LiveMigration or StepKind.ColdMigration).ToList();
        var live = moves.Where(s => s.Kind == StepKind.LiveMigration).ToList();
        var hotRestarts = steps.Where(s => s.Succeeded && s.Kind == StepKind.HotRestart).ToList();
        return new RunSummary
        {
            Assessor = assessor,
            Simulated = end - start,
            Hosts = fleet.Inventory.Hosts.Length,
            Vms = fleet.Inventory.Vms.Length,
            InjectedFailures = failures.Count,
            FailuresWithoutWarning = failures.Count(f => f.PrecursorStart is null),
            FailuresPredictedAhead = leads.Count,
            LeadTimes = [.. leads.Order()],
            VmsEvacuatedBeforeFailure = evacuated,
            VmInterruptions = recorder.Failures.Where(f => f.At <= end).Sum(f => f.Vms.Count),
            HostsFlagged = recorder.Flagged.Count,
            FalsePositiveEvacuations = recorder.Flagged.Keys.Count(h => !failed.Contains(h) && recorder.MovesOff(h).Any()),
            LiveMigrations = live.Count,
            ColdMigrations = moves.Count - live.Count,
            FailedSteps = steps.Count(s => !s.Succeeded),
            TotalBlackout = TimeSpan.FromTicks(steps.Where(s => s.Succeeded).Sum(s => s.Blackout.Ticks)),
            MaxLiveMigrationBlackout = live.Count == 0 ? TimeSpan.Zero : live.Max(s => s.Blackout),
            MemoryPreservingUpdates = steps.Count(s => s.Succeeded && s.Kind == StepKind.MemoryPreserving),
            HotPatches = steps.Count(s => s.Succeeded && s.Kind == StepKind.HotPatch),
            HotRestarts = hotRestarts.Count,
            MaxHotRestartBlackout = hotRestarts.Count == 0 ? TimeSpan.Zero : hotRestarts.Max(s => s.Blackout),
            EmptiedHostUpdates = steps.Count(s => s.Succeeded && s.Kind == StepKind.HostUpdate),
            SelfServiceScheduled = recorder.LadderDecisions.Count(d => d.Action == MaintenanceAction.SelfService),
            SelfServiceApplied = steps.Count(s => s.Succeeded && s.Kind == StepKind.SelfService),
            UnplacedVms = recorder.Unplaced.Count(),
        };
    }

    /// <summary>The summary as operators read it: one fact a line.</summary>
    public void Render(TextWriter output)
    {
        var c = CultureInfo.InvariantCulture;
        string Lead(TimeSpan t) => t.TotalHours >= 1 ? string.Create(c, $"{t.TotalHours:0.#} h") : string.Create(c, $"{t.TotalMinutes:0} min");
        var leads = LeadTimes.Count == 0
            ? "none"
            : string.Create(c, $"min {Lead(LeadTimes[0])}, median {Lead(LeadTimes[LeadTimes.Count / 2])}, max {Lead(LeadTimes[^1])}");
        output.WriteLine(string.Create(c, $"Run summary ({Simulated.TotalHours:0.#} simulated hours, risk assessor: {Assessor})"));
        output.WriteLine(string.Create(c, $"  hosts                              {Hosts}"));
        output.WriteLine(string.Create(c, $"  VMs                                {Vms}"));
        output.WriteLine(string.Create(c, $"  injected failures                  {InjectedFailures} ({FailuresWithoutWarning} with no warning)"));
        output.WriteLine(string.Create(c, $"  failures predicted ahead           {FailuresPredictedAhead} of {InjectedFailures}; lead times {leads}"));
        output.WriteLine(string.Create(c, $"  VMs evacuated before host failed   {VmsEvacuatedBeforeFailure}"));
        output.WriteLine(string.Create(c, $"  VM interruptions                   {VmInterruptions} (VMs still on a host when it failed)"));
        output.WriteLine(string.Create(c, $"  hosts flagged at risk              {HostsFlagged}"));
        output.WriteLine(string.Create(c, $"  false-positive evacuations         {FalsePositiveEvacuations} (hosts evacuated that did not fail)"));
        output.WriteLine(string.Create(c, $"  migrations                         {LiveMigrations} live, {ColdMigrations} cold, {FailedSteps} failed steps"));
        output.WriteLine(string.Create(c, $"  total VM blackout                  {TotalBlackout.TotalSeconds:0.0} s (longest live-migration pause {MaxLiveMigrationBlackout.TotalMilliseconds:0} ms)"));
        output.WriteLine(string.Create(c, $"  host updates applied               {HotPatches} hot patches, {HotRestarts} hot restarts (longest pause {MaxHotRestartBlackout.TotalMilliseconds:0} ms), {MemoryPreservingUpdates} memory-preserving, {EmptiedHostUpdates} after live-migrating the VMs away"));
        output.WriteLine(string.Create(c, $"  self-service updates               {SelfServiceApplied} applied at their owners' moment{(SelfServiceWaitingAtEnd is { } waiting ? $", {waiting} still waiting for owners" : "")} ({SelfServiceScheduled} self-service decisions){(UpdatesPendingAtEnd is { } pending ? $"; {pending} updates still pending at the end" : "")}"));
        output.WriteLine(string.Create(c, $"  VMs that could not be placed       {UnplacedVms}"));
    }
}

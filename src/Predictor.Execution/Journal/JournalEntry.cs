using System.Collections.Immutable;

namespace Predictor.Execution.Journal;

/// <summary>Where a step is. Only Started steps need reconciling after a crash.</summary>
public enum StepState
{
    Started,
    Completed,
    Failed,
}

/// <summary>What a step does.</summary>
public enum StepKind
{
    LiveMigration,
    ColdMigration,
    MemoryPreserving,
    HotPatch,

    /// <summary>An update applied to a host its VMs have left (the live-migration rung).</summary>
    HostUpdate,

    /// <summary>A hypervisor update whose staying VMs get their hypervisor process replaced in place.</summary>
    HotRestart,

    /// <summary>A host restarted with its staying VMs held through it, at the moment their owners chose or when the window closed (rung C).</summary>
    SelfService,
}

/// <summary>
/// One step of a plan as the journal records it. <see cref="StepId"/> is unique per plan and target
/// (e.g. "plan-17/vm-0042"), so writing the same step twice is idempotent.
/// </summary>
public sealed record JournalEntry(
    string StepId,
    string PlanId,
    StepKind Kind,
    string Target,
    string From,
    string? To,
    StepState State,
    DateTimeOffset At,
    string? Message = null)
{
    /// <summary>
    /// The VMs a memory-preserving step pauses or a hot-restart step swaps (on its Started entry): after a crash,
    /// recovery resumes those still paused, or leaves each swapped VM with exactly one running process. Empty for
    /// every other step.
    /// </summary>
    public ImmutableArray<string> PausedVms { get; init; } = [];

    /// <summary>
    /// The fencing token of the leader that wrote the entry (0 for a daemon that runs alone). A journal shared by several
    /// daemons refuses an entry whose token a newer leader has superseded (<see cref="FencedWriteException"/>), so a
    /// deposed leader's late write never lands.
    /// </summary>
    public long FencingToken { get; init; }
}

/// <summary>
/// A shared store (the journal, the daemon's state) refused a write: the fencing token it carried is no longer the leader's (a newer leader took over,
/// or this daemon's lease ran out). Nothing was written; the daemon that got it must stop acting.
/// </summary>
public sealed class FencedWriteException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// The durable record of what the executor did. Written before and after every hypervisor call, so
/// that a restarted executor knows which steps were in flight and can reconcile them with the hypervisor.
/// </summary>
public interface IExecutionJournal
{
    /// <summary>Records a step's new state (upsert by step id) and appends it to the step's history.</summary>
    Task RecordAsync(JournalEntry entry, CancellationToken cancellationToken);

    /// <summary>Steps whose last state is <see cref="StepState.Started"/>.</summary>
    Task<IReadOnlyList<JournalEntry>> InFlightAsync(CancellationToken cancellationToken);

    /// <summary>Every recorded transition of the steps of one target (VM or host), oldest first.</summary>
    Task<IReadOnlyList<JournalEntry>> HistoryAsync(string target, CancellationToken cancellationToken);

    /// <summary>
    /// At most <paramref name="limit"/> of a target's newest transitions older than position <paramref name="before"/>
    /// (all when null), oldest first, each with its position: a page a reader can continue from without holding the
    /// journal for the whole history.
    /// </summary>
    async Task<IReadOnlyList<(long Position, JournalEntry Entry)>> HistoryPageAsync(string target, int limit, long? before, CancellationToken cancellationToken)
    {
        var all = await HistoryAsync(target, cancellationToken).ConfigureAwait(false);
        var end = (int)Math.Min(all.Count, before is { } b ? Math.Max(0, b - 1) : all.Count);
        var start = Math.Max(0, end - limit);
        return [.. Enumerable.Range(start, end - start).Select(i => ((long)i + 1, all[i]))];
    }
}

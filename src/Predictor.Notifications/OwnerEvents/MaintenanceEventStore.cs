using System.Collections.Immutable;
using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Predictor.Core.Plans;

namespace Predictor.Notifications.OwnerEvents;

/// <summary>
/// Upcoming maintenance per VM, held in memory and written through to SQLite. The planner announces maintenance
/// with <see cref="Schedule"/>, reads owners' decisions with <see cref="OwnerChoices"/>, and reports progress with
/// <see cref="MarkStarted"/>, <see cref="MarkCompleted"/>, <see cref="MarkFailed"/> and <see cref="MarkCancelled"/>
/// (each raising <see cref="Changed"/>); owners act through the HTTP API. An event of a VM without an
/// owner has a null <see cref="MaintenanceEvent.Owner"/>: no owner matches it, and only operators (a null owner in
/// <see cref="ForOwner"/>, <see cref="Approve"/> and <see cref="Reschedule"/>) see and act on it.
/// </summary>
public sealed class MaintenanceEventStore : IDisposable
{
    private readonly object _gate = new();
    private readonly Dictionary<string, MaintenanceEvent> _events = new(StringComparer.Ordinal);
    private readonly IMaintenanceEventRepository _repository;
    private readonly OwnerEventsOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<MaintenanceEventStore> _logger;

    internal MaintenanceEventStore(OwnerEventsOptions options, TimeProvider time, ILogger<MaintenanceEventStore> logger)
        : this(options, new MaintenanceEventRepository(options.DatabasePath), time, logger)
    {
    }

    /// <summary>A store over <paramref name="repository"/>; a shared one is read by <see cref="Reload"/> (when this daemon takes over), not here.</summary>
    public MaintenanceEventStore(OwnerEventsOptions options, IMaintenanceEventRepository repository, TimeProvider time, ILogger<MaintenanceEventStore> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(repository);
        _options = options;
        _time = time;
        _logger = logger;
        _repository = repository;
        if (!repository.IsShared)
        {
            Log.Loaded(logger, Reload(), repository.Description);
        }
    }

    /// <summary>
    /// Takes the events as the repository holds them now: a daemon taking over as leader (and a standby at each pass)
    /// sees every owner's decision and every pending event the previous leader wrote.
    /// </summary>
    /// <returns>How many events there are.</returns>
    public int Reload()
    {
        var events = _repository.LoadAll();
        lock (_gate)
        {
            _events.Clear();
            foreach (var e in events)
            {
                _events[e.Id] = e;
            }
        }

        if (_repository.IsShared)
        {
            Log.Reloaded(_logger, events.Count, _repository.Description);
        }

        return events.Count;
    }

    /// <summary>True when other daemons share the events (<see cref="IMaintenanceEventRepository.IsShared"/>).</summary>
    public bool IsShared => _repository.IsShared;

    /// <summary>
    /// Announces maintenance. When an event of the same kind is already open (scheduled or approved) for the VM it is
    /// updated instead, keeping the owner's choice: a rescheduled time is never moved earlier by the planner.
    /// </summary>
    public MaintenanceEvent Schedule(MaintenanceNotice notice)
    {
        ArgumentNullException.ThrowIfNull(notice);
        var owner = string.IsNullOrWhiteSpace(notice.Owner) ? null : notice.Owner;
        var now = _time.GetUtcNow();
        MaintenanceEvent? created = null;
        MaintenanceEvent updated;
        lock (_gate)
        {
            var open = _events.Values.FirstOrDefault(e => e.Vm == notice.Vm && e.Kind == notice.Kind && e.State is MaintenanceState.Scheduled or MaintenanceState.Approved);
            if (open is not null)
            {
                updated = open with
                {
                    Owner = owner,
                    Host = notice.Host,
                    Reason = notice.Reason,
                    NotBefore = open.Choice == OwnerChoiceKind.Rescheduled && open.NotBefore > notice.NotBefore ? open.NotBefore : notice.NotBefore,
                    ExpectedBlackout = notice.ExpectedBlackout,
                    WindowEnd = notice.WindowEnd ?? open.WindowEnd,
                    UpdatedAt = now,
                };
            }
            else
            {
                updated = new MaintenanceEvent(
                    "evt-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6)),
                    notice.Vm,
                    owner,
                    notice.Host,
                    notice.Kind,
                    notice.Reason,
                    notice.NotBefore,
                    notice.ExpectedBlackout,
                    now,
                    notice.WindowEnd ?? now + _options.SelfServiceWindow,
                    MaintenanceState.Scheduled,
                    OwnerChoiceKind.None,
                    now);
            }

            Put(updated);
            Log.Scheduled(_logger, updated.Id, updated.Vm, updated.Owner ?? "no owner (operators only)", updated.Kind, updated.NotBefore);
            if (open is null)
            {
                created = updated;
            }
        }

        if (created is not null)
        {
            Changed?.Invoke(created);
        }

        return updated!;
    }

    /// <summary>The event, whoever owns it; null when unknown.</summary>
    public MaintenanceEvent? Get(string id)
    {
        lock (_gate)
        {
            return _events.GetValueOrDefault(id);
        }
    }

    /// <summary>The owner's events that have not completed, soonest first; for a null owner (an operator), those of VMs without an owner.</summary>
    public IReadOnlyList<MaintenanceEvent> ForOwner(string? owner)
    {
        lock (_gate)
        {
            return _events.Values
                .Where(e => e.Owner == owner && e.State != MaintenanceState.Completed)
                .OrderBy(e => e.NotBefore)
                .ThenBy(e => e.Id, StringComparer.Ordinal)
                .ToList();
        }
    }

    /// <summary>The owner (null: an operator, for a VM without an owner) approves the event to run as soon as the planner can.</summary>
    public OwnerActionResult Approve(string id, string? owner)
    {
        lock (_gate)
        {
            if (Find(id, owner) is not { } e)
            {
                return OwnerActionResult.Missing(id);
            }

            if (Closed(e) is { } conflict)
            {
                return conflict;
            }

            var approved = e with { State = MaintenanceState.Approved, Choice = OwnerChoiceKind.ApprovedNow, UpdatedAt = _time.GetUtcNow() };
            Put(approved);
            Log.Approved(_logger, Describe(owner), id, e.Vm);
            return OwnerActionResult.Success(approved);
        }
    }

    /// <summary>
    /// The owner (null: an operator, for a VM without an owner) moves the event; <paramref name="notBefore"/> must lie
    /// inside the self-service window and not in the past.
    /// </summary>
    public OwnerActionResult Reschedule(string id, string? owner, DateTimeOffset notBefore)
    {
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            if (Find(id, owner) is not { } e)
            {
                return OwnerActionResult.Missing(id);
            }

            if (Closed(e) is { } conflict)
            {
                return conflict;
            }

            var earliest = e.WindowStart > now ? e.WindowStart : now;
            if (notBefore < earliest || notBefore > e.WindowEnd)
            {
                return new OwnerActionResult(
                    OwnerActionStatus.Invalid,
                    null,
                    $"notBefore {Format(notBefore)} is outside the self-service window of event {id}: choose a time from {Format(earliest)} to {Format(e.WindowEnd)}.");
            }

            var moved = e with { State = MaintenanceState.Scheduled, NotBefore = notBefore, Choice = OwnerChoiceKind.Rescheduled, UpdatedAt = now };
            Put(moved);
            Log.Rescheduled(_logger, Describe(owner), id, e.Vm, notBefore);
            return OwnerActionResult.Success(moved);
        }
    }

    /// <summary>Told of every new event and every change of an event's state by the daemon (started, completed, failed, cancelled), after it is stored.</summary>
    public event Action<MaintenanceEvent>? Changed;

    /// <summary>The executor started the event; false when it is unknown or no longer open (scheduled or approved).</summary>
    public bool MarkStarted(string id) => Transition(id, MaintenanceState.Started, MaintenanceState.Scheduled, MaintenanceState.Approved);

    /// <summary>The executor finished the event; false when it is unknown or was not started.</summary>
    public bool MarkCompleted(string id) => Transition(id, MaintenanceState.Completed, MaintenanceState.Started);

    /// <summary>The event's update failed; false when it is unknown or was not started.</summary>
    public bool MarkFailed(string id) => Transition(id, MaintenanceState.Failed, MaintenanceState.Started);

    /// <summary>The event will not run (its host is at risk, failed or gone); false when it is unknown or no longer open.</summary>
    public bool MarkCancelled(string id) => Transition(id, MaintenanceState.Cancelled, MaintenanceState.Scheduled, MaintenanceState.Approved);

    /// <summary>Every open event (scheduled or approved), whoever owns it, soonest first: the daemon's and the simulated owners' view.</summary>
    public IReadOnlyList<MaintenanceEvent> Open()
    {
        lock (_gate)
        {
            return [.. _events.Values.Where(e => e.State is MaintenanceState.Scheduled or MaintenanceState.Approved).OrderBy(e => e.NotBefore).ThenBy(e => e.Id, StringComparer.Ordinal)];
        }
    }

    /// <summary>
    /// What owners decided, for <see cref="PlanRequest.OwnerChoices"/>: approve-now, or the chosen not-before time in
    /// seconds from <paramref name="planStart"/> (0 when it has already passed), for every open event an owner acted on.
    /// </summary>
    /// <param name="planStart">Time zero of the plan.</param>
    /// <param name="applies">Which events may weigh on this plan (for example: not those of VMs on hosts at risk, whose evacuation waits for nobody); all when null.</param>
    public ImmutableArray<OwnerChoice> OwnerChoices(DateTimeOffset planStart, Func<MaintenanceEvent, bool>? applies = null)
    {
        lock (_gate)
        {
            return
            [
                .. _events.Values
                    .Where(e => e.State is MaintenanceState.Scheduled or MaintenanceState.Approved && e.Choice != OwnerChoiceKind.None && (applies is null || applies(e)))
                    .OrderBy(e => e.Vm, StringComparer.Ordinal)
                    .ThenBy(e => e.Id, StringComparer.Ordinal)
                    .Select(e => e.Choice == OwnerChoiceKind.ApprovedNow
                        ? new OwnerChoice(e.Vm, true, null)
                        : new OwnerChoice(e.Vm, false, Math.Max(0, (e.NotBefore - planStart).TotalSeconds))),
            ];
        }
    }

    public void Dispose() => _repository.Dispose();

    private static string Format(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static OwnerActionResult? Closed(MaintenanceEvent e) => e.State is MaintenanceState.Scheduled or MaintenanceState.Approved
        ? null
        : new OwnerActionResult(OwnerActionStatus.Conflict, e, $"Maintenance event {e.Id} {(e.State == MaintenanceState.Cancelled ? "has been cancelled" : "has already " + e.State.ToString().ToLowerInvariant())}; it can no longer be changed.");

    /// <summary>Who acted, as the log names it: a null owner is an operator acting for a VM without an owner.</summary>
    private static string Describe(string? owner) => owner ?? "(operator, for a VM without an owner)";

    private MaintenanceEvent? Find(string id, string? owner) =>
        _events.TryGetValue(id, out var e) && e.Owner == owner ? e : null;

    private bool Transition(string id, MaintenanceState state, params MaintenanceState[] from)
    {
        MaintenanceEvent changed;
        lock (_gate)
        {
            if (!_events.TryGetValue(id, out var e) || !from.Contains(e.State))
            {
                return false;
            }

            changed = e with { State = state, UpdatedAt = _time.GetUtcNow() };
            Put(changed);
            Log.StateChanged(_logger, id, e.Vm, e.Host, e.State.ToString(), state.ToString());
        }

        Changed?.Invoke(changed);
        return true;
    }

    private void Put(MaintenanceEvent e)
    {
        _repository.Save(e);
        _events[e.Id] = e;
    }
}

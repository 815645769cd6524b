using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Predictor.Core.Inventory;
using Predictor.Core.Outcomes;
using Predictor.Core.Risk;
using Predictor.Execution.Journal;

namespace Predictor.Daemon.Outcomes;

/// <summary>
/// Writes what the daemon learns into the <see cref="IOutcomeLog"/>: every fresh host's features once per
/// <see cref="OutcomeLogOptions.FeatureInterval"/> (at the first pass of each interval, intervals aligned to the clock),
/// hosts the hypervisors report failed, back in service or decommissioned, hosts quarantined and evacuated on a
/// prediction (with the serving model's version and probability), operators' releases, and what operators record
/// (the API, <c>predictor outcomes import</c>). A write that fails never fails the pass: the outcome waits in memory
/// (up to 10,000) and is written at the next pass. Old records are pruned once a day. Thread-safe.
/// </summary>
public sealed class OutcomeRecorder
{
    /// <summary>Outcomes kept in memory while the log cannot be written.</summary>
    public const int MaxPending = 10_000;

    private readonly IOutcomeLog _log;
    private readonly OutcomeLogOptions _options;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly List<HostOutcome> _pending = [];
    private Dictionary<string, OutcomeKind>? _observed;
    private long _lastSlot = long.MinValue;
    private long _lastPruneDay = long.MinValue;

    public OutcomeRecorder(IOutcomeLog log, OutcomeLogOptions options, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(log);
        ArgumentNullException.ThrowIfNull(options);
        _log = log;
        _options = options;
        _logger = logger;
    }

    /// <summary>The log written to.</summary>
    public IOutcomeLog Log => _log;

    /// <summary>
    /// Forgets what it read of the log: with a shared log another daemon may have written it since (a leader that is
    /// gone), so the next acting pass reads the hosts' last recorded states and the newest features again rather than
    /// recording them twice.
    /// </summary>
    public void Reload()
    {
        lock (_gate)
        {
            _observed = null;
        }
    }

    /// <summary>Outcomes waiting for the log to be writable again.</summary>
    public int Pending
    {
        get
        {
            lock (_gate)
            {
                return _pending.Count;
            }
        }
    }

    /// <summary>
    /// Records what one pass learned: the features of <paramref name="fresh"/> hosts when an interval starts, the hosts
    /// whose reported state changed (<paramref name="reported"/>: the hypervisors' view, before quarantines), and the
    /// hosts quarantined in this pass (<paramref name="quarantined"/>, assessed by <paramref name="version"/>).
    /// </summary>
    public void RecordPass(DateTimeOffset now, IReadOnlyCollection<HostFeatures> fresh, DatacenterInventory reported, IReadOnlyList<RiskAssessment> quarantined, string version, bool automationStopped)
    {
        ArgumentNullException.ThrowIfNull(reported);
        var outcomes = new List<HostOutcome>();
        lock (_gate)
        {
            _observed ??= Observed();
            foreach (var host in reported.Hosts)
            {
                var seen = _observed.TryGetValue(host.Id, out var kind) ? kind : (OutcomeKind?)null;
                var outcome = host.State switch
                {
                    HostState.Failed when seen != OutcomeKind.Failed => new HostOutcome(host.Id, now, OutcomeKind.Failed, Detail: "reported failed by its hypervisor"),
                    HostState.Decommissioned when seen != OutcomeKind.Decommissioned => new HostOutcome(host.Id, now, OutcomeKind.Decommissioned, Detail: "decommissioned in the inventory"),
                    HostState.Active or HostState.Maintenance or HostState.Quarantined when seen is OutcomeKind.Failed or OutcomeKind.Decommissioned =>
                        new HostOutcome(host.Id, now, OutcomeKind.Repaired, Detail: $"reported {host.State.ToString().ToLowerInvariant()} again by its hypervisor"),
                    _ => null,
                };
                if (outcome is not null)
                {
                    _observed[host.Id] = outcome.Kind;
                    outcomes.Add(outcome);
                }
            }
        }

        foreach (var risk in quarantined)
        {
            var evidence = string.Join("; ", risk.Evidence.Take(3).Select(e => e.Description));
            outcomes.Add(new HostOutcome(risk.Host, now, OutcomeKind.Evacuated, ModelVersion: version, Probability: risk.Probability,
                Detail: (automationStopped ? "quarantined (automation stopped: evacuated once it resumes); " : "quarantined and evacuated; ") + evidence));
        }

        Write(outcomes);
        var slot = now.UtcTicks / _options.FeatureInterval.Ticks;
        if (slot > Volatile.Read(ref _lastSlot))
        {
            _lastSlot = slot;
            try
            {
                _log.AppendFeatures(fresh);
            }
            catch (Exception e) when (e is SqliteException or Npgsql.NpgsqlException or FencedWriteException or IOException or InvalidOperationException)
            {
                Daemon.Log.OutcomeLogWriteFailed(_logger, $"features of {fresh.Count} hosts at {now:u}, skipped", Pending, e.Message);
            }
        }

        Prune(now);
    }

    /// <summary>Records an operator's outcome (the API, an import); false when the log already had it.</summary>
    public bool Record(HostOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        return Write([outcome]) == 1;
    }

    /// <summary>An operator released a quarantined host: the prediction was not confirmed.</summary>
    public void Released(string host, string reason, DateTimeOffset at, string source) =>
        Write([new HostOutcome(host, at, OutcomeKind.Released, Source: source, Detail: reason)]);

    /// <summary>
    /// An operator's outcome from an API body <c>{"at", "component", "cause", "source", "detail"}</c> (all optional; <c>at</c>
    /// defaults to now, <c>source</c> to <c>api:&lt;caller&gt;</c>); null and the problem when a field is wrong.
    /// </summary>
    public static (HostOutcome? Outcome, string? Error) FromRequest(string host, OutcomeKind kind, JsonElement? body, string caller, DateTimeOffset now)
    {
        var outcome = new HostOutcome(host, now, kind, Source: "api:" + caller);
        if (body is not { } json)
        {
            return (outcome, null);
        }

        if (json.ValueKind != JsonValueKind.Object)
        {
            return (null, $"expected an object like {OperatorOutcomes.Example}, got {json.ValueKind.ToString().ToLowerInvariant()}");
        }

        foreach (var property in json.EnumerateObject())
        {
            if (property.Value.ValueKind is not (JsonValueKind.String or JsonValueKind.Null))
            {
                return (null, $"{property.Name}: expected a string, got {property.Value.ValueKind.ToString().ToLowerInvariant()}");
            }

            var text = property.Value.GetString();
            switch (property.Name)
            {
                case "at" when text is not null:
                    if (!OutcomeCsv.TryParseTime(text, out var at))
                    {
                        return (null, $"at: not an ISO 8601 time with a zone (got '{text}'; expected e.g. 2026-01-05T10:00:00Z)");
                    }

                    if (at > now)
                    {
                        return (null, $"at: {at:u} is in the future (now {now:u})");
                    }

                    outcome = outcome with { At = at };
                    break;
                case "component":
                    outcome = outcome with { Component = text };
                    break;
                case "cause":
                    outcome = outcome with { Cause = text };
                    break;
                case "source" when !string.IsNullOrWhiteSpace(text):
                    outcome = outcome with { Source = text };
                    break;
                case "detail" or "reason":
                    outcome = outcome with { Detail = text };
                    break;
                case "at" or "source":
                    break;
                default:
                    return (null, $"{property.Name}: unknown field; expected at, component, cause, source or detail");
            }
        }

        return (outcome, null);
    }

    /// <summary>Writes what waits and <paramref name="outcomes"/>; returns how many were new. On failure they wait for the next call.</summary>
    private int Write(IReadOnlyCollection<HostOutcome> outcomes)
    {
        List<HostOutcome> batch;
        lock (_gate)
        {
            batch = [.. _pending, .. outcomes];
            _pending.Clear();
        }

        if (batch.Count == 0)
        {
            return 0;
        }

        try
        {
            var added = _log.AppendRange(batch);
            foreach (var o in outcomes)
            {
                Daemon.Log.OutcomeRecorded(_logger, o.Host, HostOutcome.Name(o.Kind), o.At, o.Source, o.Detail is null ? "" : ": " + o.Detail);
            }

            return added;
        }
        catch (Exception e) when (e is SqliteException or Npgsql.NpgsqlException or FencedWriteException or IOException or InvalidOperationException)
        {
            lock (_gate)
            {
                _pending.InsertRange(0, batch.TakeLast(MaxPending));
                if (_pending.Count > MaxPending)
                {
                    _pending.RemoveRange(0, _pending.Count - MaxPending);
                }

                Daemon.Log.OutcomeLogWriteFailed(_logger, string.Create(CultureInfo.InvariantCulture, $"{batch.Count} outcomes"), _pending.Count, e.Message);
            }

            return 0;
        }
    }

    /// <summary>The latest state the daemon itself recorded per host (failed, repaired, decommissioned), so a restart does not record them again.</summary>
    private Dictionary<string, OutcomeKind> Observed()
    {
        var observed = new Dictionary<string, OutcomeKind>(StringComparer.Ordinal);
        try
        {
            foreach (var o in _log.Outcomes().Where(o => o.Source == HostOutcome.DaemonSource && o.Kind is OutcomeKind.Failed or OutcomeKind.Repaired or OutcomeKind.Decommissioned))
            {
                observed[o.Host] = o.Kind;
            }

            if (_log.LatestFeaturesAt() is { } latest)
            {
                _lastSlot = latest.UtcTicks / _options.FeatureInterval.Ticks;
            }
        }
        catch (Exception e) when (e is SqliteException or Npgsql.NpgsqlException or FencedWriteException or IOException or InvalidOperationException)
        {
            Daemon.Log.OutcomeLogWriteFailed(_logger, "reading what was recorded before the start", 0, e.Message);
        }

        return observed;
    }

    private void Prune(DateTimeOffset now)
    {
        var day = now.UtcTicks / TimeSpan.TicksPerDay;
        if (day <= _lastPruneDay)
        {
            return;
        }

        _lastPruneDay = day;
        var (featuresBefore, outcomesBefore) = (now - _options.FeatureRetention, now - _options.OutcomeRetention);
        try
        {
            var (features, outcomes) = _log.Prune(featuresBefore, outcomesBefore);
            if (features + outcomes > 0)
            {
                Daemon.Log.OutcomeLogPruned(_logger, features, featuresBefore, outcomes, outcomesBefore);
            }
        }
        catch (Exception e) when (e is SqliteException or Npgsql.NpgsqlException or FencedWriteException or IOException or InvalidOperationException)
        {
            Daemon.Log.OutcomeLogWriteFailed(_logger, "pruning", Pending, e.Message);
        }
    }
}

using System.Collections.Immutable;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Predictor.Core.Alerts;
using Predictor.Core.Files;
using Predictor.Core.Inventory;
using Predictor.Core.Risk;
using Predictor.Execution.Executor;
using Predictor.Execution.Journal;

namespace Predictor.Daemon.Automation;

/// <summary>
/// Whether the daemon may act. Three independent stops, any of which stops automation (no new evacuation or maintenance
/// is planned or started): an operator's pause, the blast-radius guard, and the kill switch. Pause and the guard let
/// running steps finish and are lifted by <see cref="ResumeAsync"/>; the kill switch also aborts running steps (VMs stay
/// on their source, paused VMs are resumed) and is lifted only by releasing it. Besides them, a daemon that is not the
/// leader (several daemons sharing state) starts nothing, and one that stops leading aborts what it was running.
/// </summary>
public sealed class AutomationControl
{
    private readonly PlanExecutor _executor;
    private readonly IAlertPublisher _alerts;
    private readonly AutomationOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<AutomationControl> _logger;
    private readonly BlastRadiusGuard _guard;
    private readonly AutomationMetrics? _metrics;
    private readonly object _gate = new();
    private readonly State.DaemonStateStore? _state;
    private PauseState? _pause;
    private BlastRadiusTrip? _trip;
    private KillSwitchState? _killSwitch;

    /// <summary>The source of a kill switch kept in the shared store: it stops every daemon that leads.</summary>
    public const string SharedSource = "shared";
    private bool _leading = true;

    public AutomationControl(
        PlanExecutor executor, IAlertPublisher alerts, AutomationOptions options, BlastRadiusOptions guard, TimeProvider time, ILogger<AutomationControl> logger,
        System.Diagnostics.Metrics.IMeterFactory? meterFactory = null, State.DaemonStateStore? state = null, Ha.Leadership? leadership = null)
    {
        _state = state;
        // a shared store is read when this daemon takes over (ReloadShared), not before it may
        _pause = state is { IsShared: false } ? state.Pause() : null;
        _executor = executor;
        _alerts = alerts;
        _options = options;
        _time = time;
        _logger = logger;
        _guard = new BlastRadiusGuard(guard);
        _metrics = meterFactory is null ? null : new AutomationMetrics(meterFactory, Status);
        if (options.KillSwitch)
        {
            _killSwitch = new KillSwitchState("configuration", $"{AutomationOptions.SectionName}:KillSwitch is true", time.GetUtcNow());
        }

        RefreshKillSwitch();
        if (leadership is not null)
        {
            _leading = leadership.IsLeader;
            leadership.Changed += OnLeadershipChanged;
        }

        Apply();
    }

    /// <summary>
    /// Takes the pause and the kill switch as the shared store holds them now (another daemon may have paused, resumed,
    /// engaged or released). A kill switch engaged by this daemon's own file or configuration stays: those are local stops.
    /// </summary>
    public void ReloadShared()
    {
        if (_state is not { IsShared: true } state)
        {
            return;
        }

        var pause = state.Pause();
        var killSwitch = state.KillSwitch();
        lock (_gate)
        {
            _pause = pause;
            Apply();
        }

        if (killSwitch is not null)
        {
            Engage(killSwitch with { Source = SharedSource });
            return;
        }

        lock (_gate)
        {
            if (_killSwitch?.Source != SharedSource)
            {
                return;
            }

            _killSwitch = null;
            Apply();
        }

        Log.KillSwitchReleased(_logger);
    }

    /// <summary>True while anything stops automation.</summary>
    public bool Stopped
    {
        get
        {
            lock (_gate)
            {
                return _pause is not null || _trip is not null || _killSwitch is not null;
            }
        }
    }

    /// <summary>The kill-switch file in use, or null when only the API and configuration engage it.</summary>
    public string? KillSwitchFile => string.IsNullOrWhiteSpace(_options.KillSwitchFile) ? null : Path.GetFullPath(_options.KillSwitchFile);

    public AutomationStatus Status()
    {
        lock (_gate)
        {
            var state = _killSwitch is not null ? "kill-switch" : _trip is not null ? "guard-tripped" : _pause is not null ? "paused" : "running";
            return new AutomationStatus(state, state != "running", _pause, _trip is null ? null : GuardStatus.From(_trip), _killSwitch, KillSwitchFile);
        }
    }

    /// <summary>Stops new steps; running ones finish. Idempotent: a second pause keeps the first's time and reason.</summary>
    public AutomationStatus Pause(string? reason)
    {
        PauseState pause;
        lock (_gate)
        {
            pause = _pause ?? new PauseState(string.IsNullOrWhiteSpace(reason) ? "paused by an operator" : reason, _time.GetUtcNow());
            _state?.SavePause(pause);
            _pause = pause;
            Apply();
        }

        Log.Paused(_logger, pause.Reason);
        return Status();
    }

    /// <summary>Lifts an operator's pause and a tripped guard. Refused (with the reason) while the kill switch is engaged.</summary>
    public async Task<(bool Resumed, string Message)> ResumeAsync(CancellationToken cancellationToken)
    {
        RefreshKillSwitch();
        BlastRadiusTrip? trip;
        lock (_gate)
        {
            if (_killSwitch is not null)
            {
                var how = _killSwitch.Source switch
                {
                    "configuration" => $"remove {AutomationOptions.SectionName}:KillSwitch from the configuration and restart",
                    SharedSource => "DELETE /api/v1/kill-switch (it stops every daemon of the datacenter)",
                    _ => KillSwitchFile is { } file ? $"DELETE /api/v1/kill-switch or remove {file}" : "DELETE /api/v1/kill-switch",
                };
                Log.ResumeRefused(_logger, how);
                return (false, $"the kill switch is engaged ({_killSwitch.Reason}); release it first: {how}");
            }

            _state?.SavePause(null);
            trip = _trip;
            _trip = null;
            _pause = null;
            if (trip is not null)
            {
                _guard.Acknowledge();
            }

            Apply();
        }

        Log.Resumed(_logger, trip is not null);
        if (trip is not null)
        {
            await _alerts.PublishAsync(Alert.Raise(
                AlertConditions.BlastRadiusGuardTripped, null,
                $"Automation resumed by an operator after the blast-radius guard tripped ({trip.Flagged} of {trip.Hosts} hosts flagged); the flagged hosts are evacuated",
                _time.GetUtcNow(), resolved: true), cancellationToken).ConfigureAwait(false);
        }

        return (true, "automation resumed");
    }

    /// <summary>
    /// Engages the kill switch: nothing new starts and running steps are aborted. Alone, the daemon creates its kill-switch
    /// file when one is configured. With a shared store the kill switch is saved there instead, so that every daemon that
    /// leads later stays stopped until an operator releases it (a daemon's file stays its operator's local stop); when the
    /// shared store cannot be written it stops this daemon all the same (through its file, when one is configured) and an
    /// error is logged.
    /// </summary>
    public AutomationStatus EngageKillSwitch(string? reason)
    {
        reason = string.IsNullOrWhiteSpace(reason) ? "engaged through the API" : reason;
        var now = _time.GetUtcNow();
        if (_state is { IsShared: true } state)
        {
            // stopped here first: a stop must not wait for (or depend on) the database
            Engage(new KillSwitchState("api", reason, now));
            var shared = new KillSwitchState(SharedSource, reason, now);
            try
            {
                state.SaveKillSwitch(shared);
                Engage(shared);
                return Status();
            }
            catch (Exception e) when (e is Npgsql.NpgsqlException or FencedWriteException or TimeoutException)
            {
                Log.KillSwitchNotShared(_logger, e.Message);
            }
        }

        if (KillSwitchFile is { } file)
        {
            PrivateFiles.EnsureDirectory(Path.GetDirectoryName(Path.GetFullPath(file))!);
            using (var writer = new StreamWriter(file, PrivateFiles.Create(FileMode.Create, FileAccess.Write, FileShare.Read)))
            {
                writer.Write(string.Create(CultureInfo.InvariantCulture, $"{now:O} {reason}{Environment.NewLine}"));
            }
        }

        var local = new KillSwitchState(KillSwitchFile is null ? "api" : "file", reason, now);
        lock (_gate)
        {
            // engaged above as "api" while the shared store was tried: it is this daemon's file now
            if (_killSwitch?.Source == "api" && local.Source == "file")
            {
                _killSwitch = local;
            }
        }

        Engage(local);
        return Status();
    }

    /// <summary>Releases the kill switch: the shared one (with a shared store) and this daemon's file. Refused when the configuration engages it.</summary>
    public (bool Released, string Message) ReleaseKillSwitch()
    {
        lock (_gate)
        {
            if (_killSwitch?.Source == "configuration")
            {
                return (false, $"the kill switch is engaged by {AutomationOptions.SectionName}:KillSwitch in the configuration; remove it there and restart");
            }

            if (_state is { IsShared: true } state)
            {
                try
                {
                    state.SaveKillSwitch(null);
                }
                catch (Exception e) when (e is Npgsql.NpgsqlException or FencedWriteException or TimeoutException)
                {
                    return (false, $"the kill switch stays engaged: the shared state could not be written ({e.Message})");
                }
            }

            if (KillSwitchFile is { } file && File.Exists(file))
            {
                File.Delete(file);
            }

            var was = _killSwitch;
            _killSwitch = null;
            Apply();
            if (was is not null)
            {
                Log.KillSwitchReleased(_logger);
            }

            return (true, _pause is not null || _trip is not null ? "kill switch released; automation is still paused (POST /api/v1/resume)" : "kill switch released; automation resumed");
        }
    }

    /// <summary>Engages or releases the kill switch according to whether its file exists. Cheap; called every poll and pass.</summary>
    public void RefreshKillSwitch()
    {
        if (KillSwitchFile is not { } file)
        {
            return;
        }

        var present = File.Exists(file);
        KillSwitchState? current;
        lock (_gate)
        {
            current = _killSwitch;
            if (!present && current?.Source == "file")
            {
                _killSwitch = null;
                Apply();
                Log.KillSwitchReleased(_logger);
                return;
            }
        }

        if (present && current is null)
        {
            Engage(new KillSwitchState("file", $"{file} exists", _time.GetUtcNow()));
        }
    }

    /// <summary>
    /// Called once per pass with the hosts the pass flagged at risk for the first time: trips the guard when too many
    /// were flagged within the window (one critical alert per trip). Returns true when automation is stopped.
    /// </summary>
    public async Task<bool> EvaluatePassAsync(IReadOnlyList<RiskAssessment> newlyFlagged, DatacenterInventory inventory, DateTimeOffset now, CancellationToken cancellationToken)
    {
        RefreshKillSwitch();
        var watched = inventory.Hosts.Count(h => h.State is not (HostState.Failed or HostState.Decommissioned));
        BlastRadiusTrip? tripped = null;
        lock (_gate)
        {
            var trip = _guard.Observe(newlyFlagged, watched, now);
            if (trip is not null && _trip is null)
            {
                _trip = tripped = trip;
                Apply();
            }
        }

        if (tripped is not null)
        {
            _metrics?.GuardTripped();
            var top = string.Join(", ", tripped.Top.Select(t => string.Create(CultureInfo.InvariantCulture, $"{t.Host} (p={t.Probability:0.00})")));
            Log.GuardTripped(_logger, tripped.Flagged, tripped.Hosts, tripped.Share, tripped.Window, top);
            await _alerts.PublishAsync(Alert.Raise(
                AlertConditions.BlastRadiusGuardTripped, null,
                string.Create(CultureInfo.InvariantCulture,
                    $"Blast-radius guard tripped: {tripped.Flagged} of {tripped.Hosts} hosts ({tripped.Share * 100:0.0}%) flagged at risk within {tripped.Window} (limit {tripped.MaxShare * 100:0.0}%). Automation is stopped: no evacuation or maintenance until an operator checks telemetry and model and resumes (POST /api/v1/resume). Top: {top}"),
                now, ImmutableDictionary<string, string>.Empty
                    .Add("flagged", tripped.Flagged.ToString(CultureInfo.InvariantCulture))
                    .Add("hosts", tripped.Hosts.ToString(CultureInfo.InvariantCulture))
                    .Add("share", tripped.Share.ToString("0.000", CultureInfo.InvariantCulture))
                    .Add("maxShare", tripped.MaxShare.ToString("0.000", CultureInfo.InvariantCulture))
                    .Add("window", tripped.Window.ToString())
                    .Add("top", top)
                    .Add("action", "POST /api/v1/resume once the flags are understood")), cancellationToken).ConfigureAwait(false);
        }

        var status = Status();
        if (status.Stopped)
        {
            Log.PassNotActing(_logger, status.State);
        }

        return status.Stopped;
    }

    private void Engage(KillSwitchState state)
    {
        lock (_gate)
        {
            if (_killSwitch is not null)
            {
                // a shared kill switch outlives a local file's: it takes the file's place (already stopped, nothing to abort)
                if (state.Source == SharedSource && _killSwitch.Source is "file" or "api")
                {
                    _killSwitch = state;
                }

                return;
            }

            _killSwitch = state;
            Apply();
        }

        Log.KillSwitchEngaged(_logger, state.Reason);
        _metrics?.KillSwitchEngaged();
        _executor.AbortRunning("kill switch: " + state.Reason);
    }

    private void OnLeadershipChanged(Ha.LeadershipChange change)
    {
        lock (_gate)
        {
            _leading = change.Leading;
            Apply();
        }

        if (change.AbortRunning)
        {
            _executor.AbortRunning("this daemon stopped leading: " + change.Reason);
        }
    }

    private void Apply() => _executor.Paused = _pause is not null || _trip is not null || _killSwitch is not null || !_leading;
}

/// <summary>An operator's pause.</summary>
public sealed record PauseState(string Reason, DateTimeOffset At);

/// <summary>An engaged kill switch.</summary>
/// <param name="Source"><c>file</c>, <c>api</c> (no file configured), <c>configuration</c>, or <c>shared</c> (kept in the shared state of several daemons: it stops whichever leads).</param>
public sealed record KillSwitchState(string Source, string Reason, DateTimeOffset At);

/// <summary>A tripped guard as <c>/api/v1/status</c> shows it.</summary>
public sealed record GuardStatus(int Flagged, int Hosts, double Share, double MaxShare, TimeSpan Window, DateTimeOffset At, IReadOnlyList<FlaggedHost> Top)
{
    internal static GuardStatus From(BlastRadiusTrip trip) =>
        new(trip.Flagged, trip.Hosts, trip.Share, trip.MaxShare, trip.Window, trip.At, [.. trip.Top.Select(t => new FlaggedHost(t.Host, t.Probability))]);
}

/// <summary>One host the guard counted.</summary>
public sealed record FlaggedHost(string Host, double Probability);

/// <summary>Whether the daemon may act, and why not.</summary>
/// <param name="State"><c>running</c>, <c>paused</c>, <c>guard-tripped</c> or <c>kill-switch</c> (the strongest stop in force).</param>
/// <param name="Stopped">True unless <paramref name="State"/> is <c>running</c>.</param>
public sealed record AutomationStatus(string State, bool Stopped, PauseState? Pause, GuardStatus? Guard, KillSwitchState? KillSwitch, string? KillSwitchFile);

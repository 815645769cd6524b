using Predictor.Core.Configuration;

namespace Predictor.Daemon;

/// <summary>The daemon's loop. Bound from configuration section "Pipeline".</summary>
[OptionsSection(SectionName)]
public sealed class PipelineOptions
{
    public const string SectionName = "Pipeline";

    /// <summary>Time between passes (ingest → assess → plan → act → notify).</summary>
    /// <value>The default value is 5 minutes.</value>
    [InRange(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Probability of failure within the horizon at which a host is quarantined and evacuated.</summary>
    /// <value>The default value is 0.5.</value>
    [InRange(0.0, 1.0)]
    public double RiskThreshold { get; set; } = 0.5;

    /// <summary>A host whose newest telemetry is older than this is stale: never assessed, never evacuated on that data.</summary>
    /// <value>The default value is 20 minutes.</value>
    [InRange(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan StaleAfter { get; set; } = TimeSpan.FromMinutes(20);

    /// <summary>Share of hosts with stale telemetry at which on-call is told (a collector or network is down, not a host).</summary>
    /// <value>The default value is 0.1.</value>
    [InRange(0.0, 1.0)]
    public double StaleShareAlert { get; set; } = 0.1;

    /// <summary>Run the maintenance ladder for pending host updates.</summary>
    /// <value>The default value is true.</value>
    public bool ApplyUpdates { get; set; } = true;

    /// <summary>A quarantined host still holding VMs this long after it was flagged raises <c>EvacuationStuck</c> (critical).</summary>
    /// <value>The default value is 1 hour.</value>
    [InRange(typeof(TimeSpan), "00:01:00", "7.00:00:00")]
    public TimeSpan EvacuationStuckAfter { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// After an operator releases a quarantined host, it is not quarantined again for this long unless its odds of
    /// failure rise tenfold over those it had when released (the evidence the operator looked at is not enough on its own).
    /// </summary>
    /// <value>The default value is 24 hours.</value>
    [InRange(typeof(TimeSpan), "00:00:00", "30.00:00:00")]
    public TimeSpan ReleaseHold { get; set; } = TimeSpan.FromHours(24);

    /// <summary>
    /// Clean assessments in a row (below the quarantine threshold), after an operator recorded a repair of a quarantined
    /// host (<c>POST /api/v1/hosts/{id}/repair</c>), that release it. One assessment at or above the threshold starts the count again.
    /// </summary>
    /// <value>The default value is 3.</value>
    [InRange(1, 1000)]
    public int CleanAssessmentsToRelease { get; set; } = 3;

    /// <summary>
    /// SQLite file (mode 0600) where quarantines, operators' releases and an operator's pause outlive a restart; ":memory:"
    /// keeps them for the process only.
    /// </summary>
    /// <value>The default value is null: <c>predictor-state.db</c> beside <c>Executor:JournalPath</c>, or ":memory:" when the journal is.</value>
    public string? StatePath { get; set; }

    /// <summary>The state file to use: <see cref="StatePath"/>, else beside the journal (in memory when the journal is).</summary>
    public string ResolveStatePath(string journalPath) =>
        !string.IsNullOrWhiteSpace(StatePath) ? StatePath
        : journalPath == ":memory:" ? ":memory:"
        : Path.Combine(Path.GetDirectoryName(Path.GetFullPath(journalPath)) ?? ".", "predictor-state.db");

    /// <summary>
    /// How long the daemon keeps retrying, with backoff from 1 s to 1 min, to reconcile its journal with the hypervisor at
    /// start (libvirt or QEMU unreachable); it raises <c>StartupFailed</c> at the first failure and exits non-zero when this
    /// runs out, so that systemd's <c>Restart=on-failure</c> restarts it.
    /// </summary>
    /// <value>The default value is 5 minutes.</value>
    [InRange(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan StartupRetryFor { get; set; } = TimeSpan.FromMinutes(5);
}

using System.Text.Json;
using System.Text.Json.Serialization;
using Predictor.Core.Risk;
using Predictor.Daemon.Automation;
using Predictor.Daemon.Pipeline;

namespace Predictor.Daemon.State;

/// <summary>
/// What an operator or the pipeline decided that must outlive the process: quarantined hosts with the assessment that
/// flagged them, operators' releases, repairs and decommissions, an operator's pause, and the rollout's applied, halted and
/// owner-held hosts. Written through at every change; each change is one atomic write. Two stores:
/// <see cref="SqliteDaemonStateStore"/> (one daemon, a file beside its journal) and <see cref="Postgres.PostgresDaemonStateStore"/>
/// (several daemons for one datacenter, shared, every write fenced by the leader's token).
/// </summary>
public abstract class DaemonStateStore : IDisposable
{
    // an assessment's evidence may hold a streaming detector's martingale grown past double's range (+Infinity): JSON has no
    // such number, and refusing it failed every pass that quarantined such a host
    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web) { NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };

    /// <summary>
    /// True when other daemons share the store: what it holds can change under this daemon, which reads it again when it
    /// takes over as leader and at every standby pass (<see cref="PredictorPipeline.ReloadSharedState"/>), not at construction.
    /// </summary>
    public abstract bool IsShared { get; }

    /// <summary>A host is quarantined (any release of it is over).</summary>
    public void SaveQuarantine(RiskAssessment assessment)
    {
        ArgumentNullException.ThrowIfNull(assessment);
        Write([Put(StateRecordKind.Quarantine, assessment.Host, assessment), Remove(StateRecordKind.Released, assessment.Host)]);
    }

    /// <summary>A host left quarantine (an operator, or a repair followed by clean assessments, released it).</summary>
    public void SaveRelease(string host, Release release) =>
        Write([Remove(StateRecordKind.Quarantine, host), Put(StateRecordKind.Released, host, release)]);

    public IReadOnlyList<RiskAssessment> Quarantined() => [.. Read(StateRecordKind.Quarantine).Select(r => Parse<RiskAssessment>(r.Value))];

    public IReadOnlyDictionary<string, Release> Released() =>
        Read(StateRecordKind.Released).ToDictionary(r => r.Key, r => Parse<Release>(r.Value), StringComparer.Ordinal);

    /// <summary>Records a repair of a host, or where one stands (its clean assessments so far, its release).</summary>
    public void SaveRepair(RepairRecord repair)
    {
        ArgumentNullException.ThrowIfNull(repair);
        Write([Put(StateRecordKind.Repairs, repair.Key, repair)]);
    }

    /// <summary>Every repair recorded, oldest first.</summary>
    public IReadOnlyList<RepairRecord> Repairs() => [.. Read(StateRecordKind.Repairs).Select(r => Parse<RepairRecord>(r.Value)).OrderBy(r => r.At)];

    /// <summary>A host is out of service for good: it leaves quarantine and takes no VM again.</summary>
    public void SaveDecommission(Decommission decommission)
    {
        ArgumentNullException.ThrowIfNull(decommission);
        Write([Remove(StateRecordKind.Quarantine, decommission.Host), Remove(StateRecordKind.Released, decommission.Host), Put(StateRecordKind.Decommissioned, decommission.Host, decommission)]);
    }

    public IReadOnlyDictionary<string, Decommission> Decommissioned() =>
        Read(StateRecordKind.Decommissioned).ToDictionary(r => r.Key, r => Parse<Decommission>(r.Value), StringComparer.Ordinal);

    /// <summary>Records where a host's update stands; a <see cref="RolloutState.Pending"/> record clears it.</summary>
    public void SaveRollout(RolloutRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        Write([record.State == RolloutState.Pending ? Remove(StateRecordKind.Rollout, record.Host) : Put(StateRecordKind.Rollout, record.Host, record)]);
    }

    public IReadOnlyList<RolloutRecord> Rollout() => [.. Read(StateRecordKind.Rollout).Select(r => Parse<RolloutRecord>(r.Value))];

    /// <summary>Saves an operator's pause, or clears it when <paramref name="pause"/> is null.</summary>
    public void SavePause(PauseState? pause) =>
        Write([pause is null ? Remove(StateRecordKind.Settings, "pause") : Put(StateRecordKind.Settings, "pause", pause)]);

    public PauseState? Pause() =>
        Read(StateRecordKind.Settings).Where(r => r.Key == "pause").Select(r => Parse<PauseState>(r.Value)).FirstOrDefault();

    /// <summary>
    /// Saves an engaged kill switch, or clears it when <paramref name="killSwitch"/> is null. Kept only by a shared store:
    /// there it stops the automation of every daemon that leads later; a daemon alone keeps its kill switch in its file.
    /// </summary>
    public void SaveKillSwitch(KillSwitchState? killSwitch) =>
        Write([killSwitch is null ? Remove(StateRecordKind.Settings, KillSwitchKey) : Put(StateRecordKind.Settings, KillSwitchKey, killSwitch)]);

    /// <summary>The kill switch engaged for every daemon of the datacenter; null when none is.</summary>
    public KillSwitchState? KillSwitch() =>
        Read(StateRecordKind.Settings).Where(r => r.Key == KillSwitchKey).Select(r => Parse<KillSwitchState>(r.Value)).FirstOrDefault();

    private const string KillSwitchKey = "kill-switch";

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
    }

    /// <summary>Applies the changes together: all or none.</summary>
    private protected abstract void Write(IReadOnlyList<StateWrite> changes);

    /// <summary>Every record of one kind, by key.</summary>
    private protected abstract IReadOnlyList<KeyValuePair<string, string>> Read(StateRecordKind kind);

    private static StateWrite Put<T>(StateRecordKind kind, string key, T value) => new(kind, key, JsonSerializer.Serialize(value, s_json));

    private static StateWrite Remove(StateRecordKind kind, string key) => new(kind, key, null);

    private static T Parse<T>(string json) => JsonSerializer.Deserialize<T>(json, s_json)!;
}

/// <summary>The kinds of record a <see cref="DaemonStateStore"/> keeps, each a map from a key (mostly a host) to JSON.</summary>
internal enum StateRecordKind
{
    Quarantine,
    Released,
    Settings,
    Rollout,
    Repairs,
    Decommissioned,
}

/// <summary>One change: the record's new JSON, or null to remove it.</summary>
internal readonly record struct StateWrite(StateRecordKind Kind, string Key, string? Json);

/// <summary>
/// An operator's record that a quarantined host was repaired. After it, <c>Pipeline:CleanAssessmentsToRelease</c>
/// consecutive assessments below the threshold release the host; one at or above it starts the count again.
/// </summary>
/// <param name="Host">The host repaired.</param>
/// <param name="At">When the repair was recorded.</param>
/// <param name="Reason">What was done (a ticket, a part replaced).</param>
/// <param name="By">The API caller who recorded it.</param>
public sealed record RepairRecord(string Host, DateTimeOffset At, string Reason, string By)
{
    /// <summary>Consecutive clean assessments since the repair.</summary>
    public int CleanAssessments { get; init; }

    /// <summary>When the repair and the clean assessments after it released the host; null while it is waiting.</summary>
    public DateTimeOffset? ReleasedAt { get; init; }

    /// <summary>Unique per host and time: a host repaired twice keeps both records.</summary>
    internal string Key => $"{Host}@{At.UtcDateTime:O}";
}

/// <summary>A host taken out of service for good: when, why, by whom.</summary>
public sealed record Decommission(string Host, DateTimeOffset At, string Reason, string By);

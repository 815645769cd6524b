using Predictor.Core.Risk;

namespace Predictor.Core.Outcomes;

/// <summary>
/// The daemon's record of what it computed and what became of the hosts: each host's features at a fixed cadence and
/// every outcome it learns (failed, repaired, decommissioned, evacuated on a prediction, released). Training sets are
/// built from it (<c>predictor dataset --from-log</c>, <c>predictor retrain</c>). Implementations: SQLite on one node;
/// a shared store (PostgreSQL) when several daemons serve one datacenter. Thread-safe.
/// </summary>
public interface IOutcomeLog
{
    /// <summary>Records an outcome; false when the same outcome (host, time, kind, component, cause, source) is already there.</summary>
    bool Append(HostOutcome outcome);

    /// <summary>Records outcomes in one transaction; returns how many were new.</summary>
    int AppendRange(IReadOnlyCollection<HostOutcome> outcomes);

    /// <summary>Records each host's features at its <see cref="HostFeatures.At"/>, every feature it had (NaN = missing).</summary>
    void AppendFeatures(IReadOnlyCollection<HostFeatures> hosts);

    /// <summary>The outcomes at or after <paramref name="from"/> and before <paramref name="to"/> (null: unbounded), oldest first.</summary>
    IReadOnlyList<HostOutcome> Outcomes(DateTimeOffset? from = null, DateTimeOffset? to = null, string? host = null);

    /// <summary>The recorded features at or after <paramref name="from"/> and before <paramref name="to"/>, by time then host, read as they are enumerated.</summary>
    IEnumerable<HostFeatures> Features(DateTimeOffset? from = null, DateTimeOffset? to = null);

    /// <summary>When features were last recorded; null when never.</summary>
    DateTimeOffset? LatestFeaturesAt();

    /// <summary>Deletes features recorded before <paramref name="featuresBefore"/> and outcomes before <paramref name="outcomesBefore"/>; returns how many of each.</summary>
    (int Features, int Outcomes) Prune(DateTimeOffset featuresBefore, DateTimeOffset outcomesBefore);
}

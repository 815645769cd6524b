namespace Predictor.Core.Time;

/// <summary>
/// The keys of the daemon's two clocks (keyed <see cref="TimeProvider"/> services). Daemon time is what the pass, the
/// executor, the windows and the alerts read; a scenario advances it virtually. Network time is the machine's own clock,
/// for what must take real time whatever the scenario does: HTTP retries and timeouts, spool fsync and forwarding
/// backoff, and measuring how long the daemon's own compute took.
/// </summary>
public static class PredictorClocks
{
    /// <summary>Daemon time; also registered as the unkeyed <see cref="TimeProvider"/>.</summary>
    public const string Daemon = "daemon";

    /// <summary>The machine's clock.</summary>
    public const string Network = "network";
}

namespace Predictor.Learning.TimeSeries.Streaming;

/// <summary>
/// Names of the features <see cref="HostSignalDetectors"/> adds per host and signal, <c>{signal}.{aggregate}</c>
/// like <see cref="Core.Risk.FeatureNames"/>; each is the maximum over the signal's components.
/// </summary>
public static class DetectorFeatureNames
{
    /// <summary><c>1 − p</c> of the newest value (of the newest increase for <c>_total</c> counters) against its history.</summary>
    public static string SpikeScore(string signal) => signal + ".spike_score";

    /// <summary>The change-point martingale after the newest value.</summary>
    public static string ChangeMartingale(string signal) => signal + ".cp_martingale";

    /// <summary>Spike alerts within the evidence retention.</summary>
    public static string SpikeAlerts(string signal) => signal + ".spike_alerts";

    /// <summary>Change-point alerts within the evidence retention.</summary>
    public static string ChangePoints(string signal) => signal + ".change_points";

    /// <summary>The novelty detector's newest score (0 while an episode's first alert still dominates).</summary>
    public static string NoveltyScore(string signal) => signal + ".novelty_score";

    /// <summary>Novelty alerts (a behaviour not seen in the detector's history) within the evidence retention.</summary>
    public static string NoveltyAlerts(string signal) => signal + ".novelty_alerts";
}

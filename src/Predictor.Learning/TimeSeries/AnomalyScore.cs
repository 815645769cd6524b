namespace Predictor.Learning.TimeSeries;

/// <summary>Which deviations count as anomalies (ML.NET's <c>AnomalySide</c>).</summary>
public enum AnomalySide
{
    /// <summary>Only values above the history.</summary>
    Positive,

    /// <summary>Only values below the history.</summary>
    Negative,

    /// <summary>Both directions (the default of every detector).</summary>
    TwoSided,
}

/// <summary>The martingale that turns p-values into change-point evidence (ML.NET's <c>MartingaleType</c>).</summary>
public enum MartingaleType
{
    /// <summary>No martingale: change points are never alerted.</summary>
    None,

    /// <summary>Power martingale, betting <c>ε·p^(ε−1)</c>.</summary>
    Power,

    /// <summary>Mixture martingale, the power martingale integrated over ε in (0,1).</summary>
    Mixture,
}

/// <summary>How an SSA detector turns observed and predicted values into a raw score (ML.NET's <c>ErrorFunction</c>).</summary>
public enum ErrorFunction
{
    /// <summary><c>actual − predicted</c> (default).</summary>
    SignedDifference,

    /// <summary><c>|actual − predicted|</c>.</summary>
    AbsoluteDifference,

    /// <summary><c>(actual − predicted) / predicted</c>, 0 when predicted is 0.</summary>
    SignedProportion,

    /// <summary><c>|actual − predicted| / predicted</c>, 0 when predicted is 0.</summary>
    AbsoluteProportion,

    /// <summary><c>(actual − predicted)²</c>.</summary>
    SquaredDifference,
}

/// <summary>
/// One detector output for one point. The first columns are ML.NET's output vector
/// (<c>Alert</c>, <c>Raw Score</c>, <c>P-Value</c>, <c>Martingale</c> for IID/SSA; <c>Alert</c>, <c>Raw Score</c>,
/// <c>Mag</c> for SR); a column a detector does not compute is NaN.
/// </summary>
/// <param name="Alert">The detector's alert at its confidence or threshold.</param>
/// <param name="RawScore">The raw anomaly score: the value (IID), the prediction error (SSA), the SR score.</param>
/// <param name="PValue">P-value of the raw score against the history (IID/SSA).</param>
/// <param name="Martingale">Martingale value (change-point detectors).</param>
/// <param name="Magnitude">Saliency magnitude (SR).</param>
/// <param name="Score">A normalised score in [0, 1], higher is more anomalous (see each detector for its definition).</param>
public readonly record struct AnomalyScore(bool Alert, double RawScore, double PValue, double Martingale, double Magnitude, double Score)
{
    /// <summary>The output for a point the detector cannot score yet (warm-up or a NaN input).</summary>
    public static AnomalyScore None { get; } = new(false, double.NaN, double.NaN, double.NaN, double.NaN, 0);
}

/// <summary>A detector fed one point at a time, with memory bounded by its windows.</summary>
public interface IStreamingAnomalyDetector
{
    /// <summary>Consumes the next value of the series and scores it.</summary>
    AnomalyScore Update(double value);
}

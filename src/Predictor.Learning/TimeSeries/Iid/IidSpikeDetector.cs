using Predictor.Learning.TimeSeries.Scoring;

namespace Predictor.Learning.TimeSeries.Iid;

/// <summary>Options of <see cref="IidSpikeDetector"/>; names and defaults are ML.NET's <c>DetectIidSpike</c>.</summary>
public sealed record IidSpikeDetectorOptions
{
    /// <summary>Confidence in (0, 100): a point alerts when its p-value is at most <c>1 − confidence/100</c>.</summary>
    /// <value>The default value is 99.</value>
    public double Confidence { get; init; } = 99;

    /// <summary>Number of past values the p-value is computed against.</summary>
    /// <value>The default value is 100.</value>
    public int PvalueHistoryLength { get; init; } = 100;

    /// <summary>Which deviations alert.</summary>
    /// <value>The default value is <see cref="AnomalySide.TwoSided"/>.</value>
    public AnomalySide Side { get; init; } = AnomalySide.TwoSided;

    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        OptionChecks.Confidence(errors, nameof(Confidence), Confidence);
        OptionChecks.AtLeast(errors, nameof(PvalueHistoryLength), PvalueHistoryLength, 1);
        OptionChecks.Defined(errors, nameof(Side), Side);
        return errors;
    }
}

/// <summary>
/// Spikes in an i.i.d. series (ML.NET <c>IidSpikeDetector</c>): the raw score is the value itself, its p-value
/// is a kernel density estimate against the last <c>PvalueHistoryLength</c> values, and a point alerts when
/// the (sided) p-value is at most <c>1 − Confidence/100</c> once the history is full.
/// Outputs Alert, Raw Score, P-Value; <see cref="AnomalyScore.Score"/> is <c>1 − p</c>.
/// O(history) memory and time per point, no allocation per point.
/// </summary>
public sealed class IidSpikeDetector : IStreamingAnomalyDetector
{
    private readonly SequentialAnomalyScorer _scorer;

    public IidSpikeDetector(IidSpikeDetectorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        DetectorOptionsException.ThrowIfAny([.. options.Validate()]);
        Options = options;
        _scorer = new SequentialAnomalyScorer(options.PvalueHistoryLength, options.Side, AlertOn.PValue, MartingaleType.None, 0.1, 1 - (options.Confidence / 100));
    }

    public IidSpikeDetectorOptions Options { get; }

    /// <summary>The p-value at or below which a point alerts.</summary>
    public double AlertThreshold => _scorer.AlertThreshold;

    internal KernelPValue History => _scorer.History;

    public AnomalyScore Update(double value) => _scorer.Next(value);
}
